package polyproc

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

func TestFrameEncoderWritesOneBufferPerBatch(t *testing.T) {
	frames := []*Frame{pingFrame(17), callFrame(42, "add", vMap("a", vInt(1))), pingFrame(18)}
	got, err := NewFrameEncoder(0).Encode(frames...)
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for _, f := range frames {
		body, err := proto.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		want = binary.BigEndian.AppendUint32(want, uint32(len(body)))
		want = append(want, body...)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x\nwant %x", got, want)
	}
	// The example of PROTOCOL.md §3.1.
	if ping := hex.EncodeToString(encodeFrames(t, pingFrame(17))); ping != "0000000442020811" {
		t.Errorf("Ping 17 encodes as %s", ping)
	}
}

func TestFrameEncoderErrors(t *testing.T) {
	big := resultFrame(1, vBytes(make([]byte, 100)))
	tests := []struct {
		name    string
		max     int
		frames  []*Frame
		want    ProtocolErrorKind
		message string
	}{
		{"body over the limit", 50, []*Frame{big}, KindFrameTooLarge, "over the limit of 50 bytes"},
		{"one frame of a batch over the limit", 50, []*Frame{pingFrame(1), big}, KindFrameTooLarge, "frame 2 of 2"},
		{"nil frame", 0, []*Frame{nil}, KindEmptyFrame, "nil *Frame"},
		{"no kind", 0, []*Frame{{}}, KindEmptyFrame, "no kind set"},
		{"value with no kind", 0, []*Frame{callFrame(1, "f", vList(vInt(1), &Value{}))}, KindInvalidValue, "call.args[1]:"},
		{"duplicate key", 0, []*Frame{callFrame(1, "f", vMap("b", vNull(), "a", vNull(), "b", vNull()))}, KindInvalidValue, "call.args.b:"},
		{"too deep", 0, []*Frame{resultFrame(1, nestedMap(65))}, KindValueTooDeep, "result.value.k"},
		{"invalid UTF-8", 0, []*Frame{callFrame(1, "\xff", nil)}, KindMalformedFrame, "cannot be serialized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewFrameEncoder(tt.max)
			buf, err := e.Encode(tt.frames...)
			if got := kindOf(t, err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.message)
			}
			if buf != nil {
				t.Errorf("Encode returned %d bytes with its error", len(buf))
			}
			if !errors.Is(err, tt.want.sentinel()) {
				t.Errorf("errors.Is(err, Err%s) is false", tt.want)
			}
			// AppendFrame leaves dst as it was.
			dst := []byte("before")
			for _, f := range tt.frames {
				out, err := e.AppendFrame(dst, f)
				if err != nil && (len(out) != len(dst) || string(out) != "before") {
					t.Errorf("AppendFrame changed dst on an error: %q", out)
				}
			}
		})
	}
}

func TestFrameEncoderCanonicalisesWithoutTouchingTheFrame(t *testing.T) {
	goNaN := math.NaN() // 0x7FF8000000000001
	frame := callFrame(1, "f", vMap(
		"z", vDouble(goNaN),
		"a", vList(vDouble(math.Float64frombits(0xFFF0000000000123))), // a negative signalling NaN
		"m", nil, // an entry without a value: null
		"-", vDouble(math.Copysign(0, -1)),
	))
	before, err := proto.Marshal(frame)
	if err != nil {
		t.Fatal(err)
	}
	got := encodeFrames(t, frame)
	want := encodeFrames(t, callFrame(1, "f", vMap(
		"-", vDouble(math.Copysign(0, -1)),
		"a", vList(vDouble(math.Float64frombits(canonicalNaN))),
		"m", vNull(),
		"z", vDouble(math.Float64frombits(canonicalNaN)),
	)))
	if !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	if !bytes.Contains(got, []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f}) || !bytes.Contains(got, []byte{0, 0, 0, 0, 0, 0, 0, 0x80}) {
		t.Errorf("the canonical NaN or -0 is missing from %x", got)
	}
	after, err := proto.Marshal(frame)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("Encode modified the caller's frame")
	}
}

func TestFrameEncoderMetadataIsSorted(t *testing.T) {
	frame := &Frame{Kind: &polyprocv1.Frame_Call{Call: &polyprocv1.Call{Id: 1, Function: "f",
		Metadata: map[string]string{"b": "2", "a": "1", "c": "3", "traceparent": "x"}}}}
	first := encodeFrames(t, frame)
	for range 20 {
		if again := encodeFrames(t, frame); !bytes.Equal(again, first) {
			t.Fatal("the same frame encoded to different bytes")
		}
	}
	if i, j := bytes.Index(first, []byte("a\x12\x011")), bytes.Index(first, []byte("b\x12\x012")); i < 0 || j < i {
		t.Errorf("metadata entries out of order: %x", first)
	}
}

func TestFrameEncoderIsSafeForConcurrentUse(t *testing.T) {
	e := NewFrameEncoder(0)
	frame := callFrame(1, "f", vMap("x", vDouble(math.NaN()), "a", vString("s")))
	want := encodeFrames(t, frame)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				got, err := e.Encode(frame)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("concurrent Encode: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNewFrameEncoderLimits(t *testing.T) {
	tests := []struct{ in, want int }{
		{0, DefaultMaxFrameBytes},
		{65536, 65536},
		{1 << 40, 1<<32 - 1},
	}
	for _, tt := range tests {
		if got := NewFrameEncoder(tt.in).MaxFrameBytes(); got != tt.want {
			t.Errorf("NewFrameEncoder(%d).MaxFrameBytes() = %d, want %d", tt.in, got, tt.want)
		}
	}
}
