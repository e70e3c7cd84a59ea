package polyproc

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// The shared vectors of spec/vectors (PROTOCOL.md Appendix A), read by the tests of
// every language's codec.

type validVector struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Hex         string          `json:"hex"`
	Frame       json.RawMessage `json:"frame"`
	Canonical   bool            `json:"canonical"`
}

type invalidVector struct {
	Name          string `json:"name"`
	Description   string `json:"description"`
	Hex           string `json:"hex"`
	Error         string `json:"error"`
	MaxFrameBytes int    `json:"maxFrameBytes"`
}

// vectorsDir is spec/vectors of this repository, or $POLYPROC_SPEC_DIR/vectors.
func vectorsDir() string {
	if dir := os.Getenv("POLYPROC_SPEC_DIR"); dir != "" {
		return filepath.Join(dir, "vectors")
	}
	return filepath.Join("..", "..", "spec", "vectors")
}

// loadVectors reads every NAME.json of spec/vectors/kind, sorted by name. It fails the
// test when there are none: a vector suite that reads nothing tests nothing.
func loadVectors[T any](t testing.TB, kind string) []T {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(vectorsDir(), kind, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no vectors in %s; run the tests from sdks/go inside the repository, or set POLYPROC_SPEC_DIR to the spec directory",
			filepath.Join(vectorsDir(), kind))
	}
	slices.Sort(files)
	out := make([]T, 0, len(files))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, v)
	}
	return out
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex: %v", err)
	}
	return b
}

// jsonFrame parses a vector's frame with protobuf's canonical JSON mapping.
func jsonFrame(t testing.TB, v validVector) *Frame {
	t.Helper()
	f := new(Frame)
	if err := (protojson.UnmarshalOptions{RecursionLimit: 1000}).Unmarshal(v.Frame, f); err != nil {
		t.Fatalf("%s: parsing frame JSON: %v", v.Name, err)
	}
	return f
}

// splitOffsets is every offset of a small input and, for inputs over 4 KiB, the first and
// last 64 offsets and 256 evenly spaced ones (PROTOCOL.md Appendix A).
func splitOffsets(n int) []int {
	if n <= 4096 {
		offsets := make([]int, n+1)
		for i := range offsets {
			offsets[i] = i
		}
		return offsets
	}
	var offsets []int
	for i := 0; i <= 64; i++ {
		offsets = append(offsets, i, n-i)
	}
	for i := range 256 {
		offsets = append(offsets, n*i/255)
	}
	slices.Sort(offsets)
	return slices.Compact(offsets)
}

func TestValidVectors(t *testing.T) {
	vectors := loadVectors[validVector](t, "valid")
	if len(vectors) < 40 {
		t.Errorf("only %d valid vectors; expected at least 40", len(vectors))
	}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			data := mustHex(t, v.Hex)
			want := normalForm(t, jsonFrame(t, v))
			check := func(how string, chunks ...[]byte) {
				t.Helper()
				frames, err := decodeChunks(0, chunks...)
				if err != nil {
					t.Fatalf("%s: %v", how, err)
				}
				if len(frames) != 1 {
					t.Fatalf("%s: %d frames, want 1", how, len(frames))
				}
				if got := normalForm(t, frames[0]); !bytes.Equal(got, want) {
					t.Fatalf("%s: decoded frame differs from the JSON frame\n got %x\nwant %x", how, got, want)
				}
			}
			check("whole", data)
			check("byte by byte", byteByByte(data)...)
			for _, at := range splitOffsets(len(data)) {
				check("split", data[:at], data[at:])
			}
			if v.Canonical {
				encoded := encodeFrames(t, jsonFrame(t, v))
				if !bytes.Equal(encoded, data) {
					t.Fatalf("canonical vector: encoder wrote\n%x\nwant\n%x", encoded, data)
				}
			}
		})
	}
}

func TestValidVectorsAsOneStream(t *testing.T) {
	vectors := loadVectors[validVector](t, "valid")
	var stream []byte
	var want [][]byte
	for _, v := range vectors {
		stream = append(stream, mustHex(t, v.Hex)...)
		want = append(want, normalForm(t, jsonFrame(t, v)))
	}
	for _, chunk := range []int{len(stream), 1 << 16, 4093, 7, 1} {
		t.Run("chunks of "+strconv.Itoa(chunk), func(t *testing.T) {
			var chunks [][]byte
			for rest := stream; len(rest) > 0; {
				n := min(chunk, len(rest))
				chunks = append(chunks, rest[:n])
				rest = rest[n:]
			}
			frames, err := decodeChunks(0, chunks...)
			if err != nil {
				t.Fatal(err)
			}
			if len(frames) != len(vectors) {
				t.Fatalf("%d frames, want %d", len(frames), len(vectors))
			}
			for i, f := range frames {
				if !bytes.Equal(normalForm(t, f), want[i]) {
					t.Errorf("frame %d (%s) differs from its vector", i, vectors[i].Name)
				}
			}
		})
	}
}

func TestInvalidVectors(t *testing.T) {
	vectors := loadVectors[invalidVector](t, "invalid")
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			data := mustHex(t, v.Hex)
			want := ProtocolErrorKind(v.Error)
			if want.sentinel() == nil {
				t.Fatalf("the vector's error %q is not a ProtocolErrorKind", v.Error)
			}
			for _, feed := range []struct {
				how    string
				chunks [][]byte
			}{{"whole", [][]byte{data}}, {"byte by byte", byteByByte(data)}} {
				_, err := decodeChunks(v.MaxFrameBytes, feed.chunks...)
				if got := kindOf(t, err); got != want {
					t.Fatalf("%s: got %q (%v), want %s", feed.how, got, err, want)
				}
				if !errors.Is(err, want.sentinel()) {
					t.Fatalf("%s: errors.Is(err, Err%s) is false", feed.how, want)
				}
			}
		})
	}
}

// FuzzDecodeFrame feeds arbitrary bytes to the decoder, whole and split at an arbitrary
// offset. It must never panic; both feeds must agree; every frame it decodes must encode
// and decode again to the same frame in canonical form.
func FuzzDecodeFrame(f *testing.F) {
	for _, kind := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join(vectorsDir(), kind, "*.json"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			var v struct{ Hex string }
			if err := json.Unmarshal(data, &v); err != nil {
				f.Fatal(err)
			}
			b, err := hex.DecodeString(v.Hex)
			if err != nil {
				f.Fatalf("%s: %v", file, err)
			}
			for _, split := range []uint16{0, 1, 3, 5, uint16(len(b) / 2)} {
				f.Add(b, split)
			}
		}
	}
	f.Add([]byte{}, uint16(0))
	f.Add([]byte("\x00\x00\x00\x02\x42\x00\x00\x00\x00\x00"), uint16(6))
	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		whole, errWhole := decodeChunks(0, data)
		at := int(split) % (len(data) + 1)
		parts, errParts := decodeChunks(0, data[:at], data[at:])
		if kindOf(t, errWhole) != kindOf(t, errParts) {
			t.Fatalf("whole: %v; split at %d: %v", errWhole, at, errParts)
		}
		if len(whole) != len(parts) {
			t.Fatalf("whole: %d frames; split at %d: %d frames", len(whole), at, len(parts))
		}
		for i, frame := range whole {
			if !proto.Equal(frame, parts[i]) {
				t.Fatalf("frame %d differs between whole and split feeds", i)
			}
			encoded, err := NewFrameEncoder(0).AppendFrame(nil, frame)
			if err != nil {
				t.Fatalf("a decoded frame does not encode: %v", err)
			}
			again, err := decodeChunks(0, encoded)
			if err != nil || len(again) != 1 {
				t.Fatalf("a re-encoded frame does not decode to one frame: %d frames, %v", len(again), err)
			}
			canonical := canonicalizeFrame(frame)
			if !proto.Equal(again[0], canonical) || !bytes.Equal(normalForm(t, again[0]), normalForm(t, canonical)) {
				t.Fatalf("re-encoding changed the frame:\n was %v\n now %v", canonical, again[0])
			}
		}
	})
}
