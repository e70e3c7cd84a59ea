package polyproc

import (
	"testing"

	"google.golang.org/protobuf/proto"
)

// Benchmarks of the codec's hot paths, for profiling (`go test -bench . -run '^$'`); the
// comparison with bare protobuf is internal/cmd/codecbench.

var smallArgs = map[string]any{"a": 1, "b": 2, "op": "sum"}

func BenchmarkToValueSmall(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToValue(smallArgs, "args"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeSmallCall(b *testing.B) {
	b.ReportAllocs()
	e := NewFrameEncoder(0)
	var buf []byte
	for b.Loop() {
		v, err := ToValue(smallArgs, "args")
		if err != nil {
			b.Fatal(err)
		}
		if buf, err = e.AppendFrame(buf[:0], callFrame(42, "add", v)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalSmallCall(b *testing.B) {
	b.ReportAllocs()
	v, _ := ToValue(smallArgs, "args")
	f := callFrame(42, "add", v)
	for b.Loop() {
		if _, err := proto.Marshal(f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSmallCall(b *testing.B) {
	b.ReportAllocs()
	v, _ := ToValue(smallArgs, "args")
	wire := encodeFrames(b, callFrame(42, "add", v))
	d := NewFrameDecoder(0)
	for b.Loop() {
		frames, err := d.Push(wire)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := FromValue(frames[0].GetCall().GetArgs(), "args"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalSmallCall(b *testing.B) {
	b.ReportAllocs()
	v, _ := ToValue(smallArgs, "args")
	body, _ := proto.Marshal(callFrame(42, "add", v))
	for b.Loop() {
		if err := proto.Unmarshal(body, new(Frame)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendFrameSmallCall(b *testing.B) {
	b.ReportAllocs()
	v, _ := ToValue(smallArgs, "args")
	f := callFrame(42, "add", v)
	e := NewFrameEncoder(0)
	var buf []byte
	for b.Loop() {
		var err error
		if buf, err = e.AppendFrame(buf[:0], f); err != nil {
			b.Fatal(err)
		}
	}
}
