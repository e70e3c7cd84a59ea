package polyproc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

func TestFrameDecoderChunking(t *testing.T) {
	frames := []*Frame{
		pingFrame(17),
		callFrame(1, "add", vMap("a", vInt(1), "b", vInt(2))),
		resultFrame(1, vBytes(bytes.Repeat([]byte{0xab}, 5000))),
		pingFrame(0),
	}
	stream := encodeFrames(t, frames...)
	chunked := func(size int) [][]byte {
		var chunks [][]byte
		for rest := stream; len(rest) > 0; rest = rest[min(size, len(rest)):] {
			chunks = append(chunks, rest[:min(size, len(rest))])
		}
		return chunks
	}
	tests := []struct {
		name   string
		chunks [][]byte
	}{
		{"one chunk", [][]byte{stream}},
		{"byte by byte", byteByByte(stream)},
		{"chunks of 3", chunked(3)},
		{"chunks of 4096", chunked(4096)},
		{"empty chunks between", [][]byte{{}, stream[:10], {}, stream[10:], {}}},
		{"header split from body", [][]byte{stream[:4], stream[4:6], stream[6:]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeChunks(0, tt.chunks...)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(frames) {
				t.Fatalf("%d frames, want %d", len(got), len(frames))
			}
			for i := range frames {
				if !proto.Equal(got[i], frames[i]) {
					t.Errorf("frame %d: got %v, want %v", i, got[i], frames[i])
				}
			}
		})
	}
}

func TestFrameDecoderErrors(t *testing.T) {
	ping := encodeFrames(t, pingFrame(17))
	header := func(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }
	tests := []struct {
		name     string
		max      int
		chunks   [][]byte
		want     ProtocolErrorKind
		message  string
		atPush   bool // reported by Push, before End
		complete int  // frames returned before the error
	}{
		{name: "over the limit, header only", max: 100, chunks: [][]byte{header(101)}, want: KindFrameTooLarge, message: "101 bytes, over the limit of 100", atPush: true},
		{name: "over the default limit", chunks: [][]byte{header(DefaultMaxFrameBytes + 1)}, want: KindFrameTooLarge, atPush: true},
		{name: "max u32 in pieces", chunks: [][]byte{{0xff, 0xff}, {0xff}, {0xff}}, want: KindFrameTooLarge, atPush: true},
		{name: "at the limit is fine", max: 4, chunks: [][]byte{ping}, complete: 1},
		{name: "one length byte", chunks: [][]byte{{0}}, want: KindTruncatedFrame, message: "1 of the 4 length bytes"},
		{name: "three length bytes", chunks: [][]byte{{0, 0, 0}}, want: KindTruncatedFrame, message: "3 of the 4 length bytes"},
		{name: "part of a body", chunks: [][]byte{ping[:6]}, want: KindTruncatedFrame, message: "2 of the 4 body bytes"},
		{name: "second frame cut", chunks: [][]byte{ping, ping[:5]}, want: KindTruncatedFrame, complete: 1},
		{name: "empty body", chunks: [][]byte{header(0)}, want: KindEmptyFrame, atPush: true},
		{name: "only unknown fields", chunks: [][]byte{append(header(3), 0xa0, 0x06, 0x01)}, want: KindEmptyFrame, atPush: true},
		{name: "frame kind with the wrong wire type", chunks: [][]byte{append(header(2), 0x08, 0x05)}, want: KindMalformedFrame, message: "field 1, call, has wire type 0", atPush: true},
		{name: "not protobuf", chunks: [][]byte{append(header(2), 0xff, 0xff)}, want: KindMalformedFrame, atPush: true},
		{name: "garbage after a frame", chunks: [][]byte{append(slicesConcat(ping, header(2)), 0xff, 0xff)}, want: KindMalformedFrame, atPush: true, complete: 1},
		{name: "invalid UTF-8 in a function name", chunks: [][]byte{rawCall(t, "\xff")}, want: KindMalformedFrame, atPush: true},
		{name: "value with no kind", chunks: [][]byte{encodeRaw(t, callFrame(1, "f", &Value{}))}, want: KindInvalidValue, message: "call.args:", atPush: true},
		{name: "duplicate key", chunks: [][]byte{encodeRaw(t, callFrame(1, "f", vMap("a", vInt(1), "a", vInt(2))))}, want: KindInvalidValue, message: "call.args.a:", atPush: true},
		{name: "value 65 deep", chunks: [][]byte{encodeRaw(t, resultFrame(1, nestedList(65)))}, want: KindValueTooDeep, atPush: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewFrameDecoder(tt.max)
			var frames []*Frame
			var err error
			for _, c := range tt.chunks {
				var got []*Frame
				got, err = d.Push(c)
				frames = append(frames, got...)
				if err != nil {
					break
				}
			}
			if tt.atPush != (err != nil) {
				t.Fatalf("Push error = %v; want an error from Push: %v", err, tt.atPush)
			}
			if err == nil {
				err = d.End()
			}
			if got := kindOf(t, err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
			if len(frames) != tt.complete {
				t.Errorf("%d frames before the error, want %d", len(frames), tt.complete)
			}
			if err == nil {
				return
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.message)
			}
			// The decoder is dead: the same error, whatever comes next (§3.4).
			if _, again := d.Push(ping); again != err {
				t.Errorf("Push after the error returned %v, want the same error", again)
			}
			if again := d.End(); again != err {
				t.Errorf("End after the error returned %v, want the same error", again)
			}
		})
	}
}

func slicesConcat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// encodeRaw frames f with bare protobuf, without the encoder's checks: the bytes a buggy
// peer would send.
func encodeRaw(t testing.TB, f *Frame) []byte {
	t.Helper()
	body, err := proto.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

// rawCall is a framed Call whose function name is written as given, valid UTF-8 or not.
func rawCall(t testing.TB, function string) []byte {
	t.Helper()
	call := protowire.AppendTag(nil, 1, protowire.VarintType)
	call = protowire.AppendVarint(call, 1)
	call = protowire.AppendTag(call, 2, protowire.BytesType)
	call = protowire.AppendString(call, function)
	body := protowire.AppendTag(nil, 1, protowire.BytesType)
	body = protowire.AppendBytes(body, call)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

func TestFrameDecoderPushAfterEnd(t *testing.T) {
	d := NewFrameDecoder(0)
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Push(encodeFrames(t, pingFrame(1))); !errors.Is(err, errPushAfterEnd) {
		t.Fatalf("Push after End: %v", err)
	}
}

func TestFrameDecoderBuffered(t *testing.T) {
	stream := encodeFrames(t, pingFrame(17), pingFrame(18))
	d := NewFrameDecoder(0)
	steps := []struct {
		chunk    []byte
		frames   int
		buffered int
	}{
		{stream[:3], 0, 3},
		{stream[3:9], 1, 1},
		{stream[9:], 1, 0},
	}
	for i, s := range steps {
		frames, err := d.Push(s.chunk)
		if err != nil {
			t.Fatal(err)
		}
		if len(frames) != s.frames || d.Buffered() != s.buffered {
			t.Errorf("step %d: %d frames, %d buffered; want %d, %d", i, len(frames), d.Buffered(), s.frames, s.buffered)
		}
	}
}

// Decoded frames must not share memory with the input or with the decoder's buffer, which
// later input overwrites.
func TestFrameDecoderFramesDoNotAlias(t *testing.T) {
	payload := bytes.Repeat([]byte("payload!"), 100)
	frame := resultFrame(9, vMap("bytes", vBytes(payload), "text", vString(string(payload))))
	one := encodeFrames(t, frame)
	tests := []struct {
		name  string
		split int
	}{{"straight from the chunk", len(one)}, {"from the buffer", len(one) / 2}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := slicesConcat(one, one)
			d := NewFrameDecoder(0)
			first, err := d.Push(input[:tt.split])
			if err != nil {
				t.Fatal(err)
			}
			rest, err := d.Push(input[tt.split:])
			if err != nil {
				t.Fatal(err)
			}
			frames := append(first, rest...)
			if len(frames) != 2 {
				t.Fatalf("%d frames", len(frames))
			}
			// Overwrite the input and push more frames through the decoder's buffer.
			for i := range input {
				input[i] = 0
			}
			garbage := encodeFrames(t, resultFrame(1, vBytes(bytes.Repeat([]byte{0xee}, len(payload)))))
			for i := 0; i < len(garbage); i += 7 {
				if _, err := d.Push(garbage[i:min(i+7, len(garbage))]); err != nil {
					t.Fatal(err)
				}
			}
			for i, f := range frames {
				if !proto.Equal(f, frame) {
					t.Fatalf("frame %d changed after its input was overwritten", i)
				}
			}
		})
	}
}

// A large frame arriving in small chunks grows the buffer by doubling: a logarithmic number
// of reallocations, not one per chunk (no quadratic copying, §3.3).
func TestFrameDecoderGrowsByDoubling(t *testing.T) {
	big := encodeFrames(t, resultFrame(1, vBytes(bytes.Repeat([]byte{1}, 1<<20))))
	d := NewFrameDecoder(0)
	reallocations, lastCap := 0, 0
	for i := 0; i < len(big); i += 1024 {
		frames, err := d.Push(big[i:min(i+1024, len(big))])
		if err != nil {
			t.Fatal(err)
		}
		if len(frames) > 0 {
			break
		}
		if c := cap(d.buf); c != lastCap {
			reallocations++
			lastCap = c
		}
	}
	if reallocations > 16 {
		t.Fatalf("%d reallocations for a 1 MiB frame in 1 KiB chunks; want a logarithmic number", reallocations)
	}
	if d.Buffered() != 0 || d.buf != nil {
		t.Errorf("the decoder keeps %d bytes (cap %d) after the frame; want its large buffer released", d.Buffered(), cap(d.buf))
	}
}

// The claimed length of a frame over the limit is never allocated: the error comes with
// the 4 length bytes.
func TestFrameDecoderDoesNotTrustTheLength(t *testing.T) {
	d := NewFrameDecoder(0)
	allocs := testing.AllocsPerRun(1, func() {
		d = NewFrameDecoder(0)
		if _, err := d.Push([]byte{0, 0x10, 0, 0}); err != nil { // 1 MiB announced, nothing sent
			t.Fatal(err)
		}
	})
	if cap(d.buf) > 64 {
		t.Errorf("the decoder allocated %d bytes for an announced frame it has not received", cap(d.buf))
	}
	if allocs > 3 {
		t.Errorf("%v allocations for 4 bytes", allocs)
	}
}

func TestNewFrameDecoderRejectsANegativeLimit(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "pass a positive limit") {
			t.Fatalf("recovered %v", r)
		}
	}()
	NewFrameDecoder(-1)
}

// buildDeepFrame is a Call whose args are lists nested depth levels deep around a null,
// written by hand (from the inside out, sizes first) so that no protobuf runtime has to
// build it.
