// Command codecbench measures the Go codec: frames per second to encode and decode a small
// Call and a Result carrying 64 KiB of bytes, through polyproc's path (native value
// written straight into the frame's bytes by FrameEncoder.AppendCall / AppendResult;
// frame decoder -> validation -> native value) against bare
// proto.Marshal / proto.Unmarshal of the same prebuilt Frame, in the same run. It prints
// one line per measurement:
//
//	codec go <case> <encode|decode> polyproc=<N>/s bare=<N>/s overhead=<P>%
//
// where overhead = (bare/polyproc - 1) * 100. Run it from sdks/go (Nx: `npx nx run
// sdk-go:bench`); BENCH_SECONDS (default 0.5) is the time spent on each measurement.
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"

	polyproc "github.com/polyproc/polyproc/sdks/go"
	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// benchCase is one message shape: the native value it carries and how the RPC layer
// builds its frame around a Value.
type benchCase struct {
	name   string
	native any
	root   string
	frame  func(*polyproc.Value) *polyproc.Frame
	value  func(*polyproc.Frame) *polyproc.Value
	// encode is polyproc's encode path: the native value straight into frame bytes.
	encode func(e *polyproc.FrameEncoder, dst []byte, native any) ([]byte, error)
}

var cases = []benchCase{
	{
		name:   "small-call",
		native: map[string]any{"a": 1, "b": 2, "op": "sum"},
		root:   "args",
		frame: func(args *polyproc.Value) *polyproc.Frame {
			return &polyproc.Frame{Kind: &polyprocv1.Frame_Call{Call: &polyprocv1.Call{
				Id: 42, Function: "add", Args: args, DeadlineMs: 500}}}
		},
		value: func(f *polyproc.Frame) *polyproc.Value { return f.GetCall().GetArgs() },
		encode: func(e *polyproc.FrameEncoder, dst []byte, native any) ([]byte, error) {
			return e.AppendCall(dst, polyproc.CallFrame{ID: 42, Function: "add", Args: native, DeadlineMs: 500})
		},
	},
	{
		name:   "result-64k",
		native: bytes.Repeat([]byte{0xab}, 64*1024),
		root:   "result",
		frame: func(v *polyproc.Value) *polyproc.Frame {
			return &polyproc.Frame{Kind: &polyprocv1.Frame_Result{Result: &polyprocv1.Result{
				Id: 42, Outcome: &polyprocv1.Result_Value{Value: v}}}}
		},
		value: func(f *polyproc.Frame) *polyproc.Value { return f.GetResult().GetValue() },
		encode: func(e *polyproc.FrameEncoder, dst []byte, native any) ([]byte, error) {
			return e.AppendResult(dst, polyproc.ResultFrame{ID: 42, Value: native})
		},
	},
}

var sink int

func main() {
	seconds := 0.5
	if s := os.Getenv("BENCH_SECONDS"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "codecbench: BENCH_SECONDS=%q is not a positive number of seconds\n", s)
			os.Exit(2)
		}
		seconds = v
	}
	for _, c := range cases {
		if err := run(c, time.Duration(seconds*float64(time.Second))); err != nil {
			fmt.Fprintf(os.Stderr, "codecbench: %s: %v\n", c.name, err)
			os.Exit(1)
		}
	}
}

func run(c benchCase, budget time.Duration) error {
	v, err := polyproc.ToValue(c.native, c.root)
	if err != nil {
		return err
	}
	prebuilt := c.frame(v)
	body, err := proto.Marshal(prebuilt)
	if err != nil {
		return err
	}
	encoder := polyproc.NewFrameEncoder(0)
	wire, err := encoder.AppendFrame(nil, prebuilt)
	if err != nil {
		return err
	}
	direct, err := c.encode(encoder, nil, c.native)
	if err != nil {
		return err
	}
	if !bytes.Equal(direct, wire) {
		return fmt.Errorf("the direct path wrote %x, the Frame path %x", direct, wire)
	}
	decoder := polyproc.NewFrameDecoder(0)
	var buf []byte

	encodePolyproc := func() {
		var err error
		if buf, err = c.encode(encoder, buf[:0], c.native); err != nil {
			panic(err)
		}
		sink += len(buf)
	}
	encodeBare := func() {
		b, err := proto.Marshal(prebuilt)
		if err != nil {
			panic(err)
		}
		sink += len(b)
	}
	decodePolyproc := func() {
		frames, err := decoder.Push(wire)
		if err != nil || len(frames) != 1 {
			panic(fmt.Sprint("decode: ", len(frames), " frames, ", err))
		}
		x, err := polyproc.FromValue(c.value(frames[0]), c.root)
		if err != nil {
			panic(err)
		}
		if x != nil {
			sink++
		}
	}
	decodeBare := func() {
		f := new(polyproc.Frame)
		if err := proto.Unmarshal(body, f); err != nil {
			panic(err)
		}
		if f.GetKind() != nil {
			sink++
		}
	}
	for _, m := range []struct {
		op             string
		polyproc, bare func()
	}{{"encode", encodePolyproc, encodeBare}, {"decode", decodePolyproc, decodeBare}} {
		p, b := compare(m.polyproc, m.bare, budget)
		fmt.Printf("codec go %s %s polyproc=%.0f/s bare=%.0f/s overhead=%.1f%%\n", c.name, m.op, p, b, (b/p-1)*100)
	}
	return nil
}

// compare measures two functions in alternating rounds, so that both see the same machine
// state, and returns the best rate of each in operations per second.
func compare(a, b func(), budget time.Duration) (float64, float64) {
	const rounds = 5
	slice := budget / (2 * rounds)
	var bestA, bestB float64
	rate(a, slice/4) // warm up
	rate(b, slice/4)
	for range rounds {
		bestA = max(bestA, rate(a, slice))
		bestB = max(bestB, rate(b, slice))
	}
	return bestA, bestB
}

// rate runs fn in batches for about d and returns operations per second.
func rate(fn func(), d time.Duration) float64 {
	ops := 0
	start := time.Now()
	for time.Since(start) < d {
		for range 64 {
			fn()
		}
		ops += 64
	}
	return float64(ops) / time.Since(start).Seconds()
}
