package polyproc

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
)

// Random, fuzzed and concurrent checks of the direct path against the proto path.

// randomNative builds a random native value of the common and reflected types, with
// invalid members now and then.
func randomNative(r *rand.Rand, depth int, invalid bool) any {
	n := 14
	if depth >= 6 {
		n = 9 // scalars only
	}
	switch r.IntN(n) {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return int64(r.Uint64())
	case 3:
		return []int64{0, 1, -1, 63, -64, 64, math.MaxInt64, math.MinInt64}[r.IntN(8)]
	case 4:
		return []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), 1e-310, r.NormFloat64()}[r.IntN(6)]
	case 5:
		return randomString(r, invalid)
	case 6:
		b := make([]byte, r.IntN(300))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	case 7:
		if invalid && r.IntN(20) == 0 {
			return uint64(math.MaxUint64)
		}
		return []any{uint8(r.Uint32()), int16(r.Uint32()), uint32(r.Uint32()), float32(r.NormFloat64()), wireID(r.Int64())}[r.IntN(5)]
	case 8:
		return []any{[]byte(nil), []any(nil), map[string]any(nil), (*int)(nil)}[r.IntN(4)]
	case 9, 10:
		l := make([]any, r.IntN(6))
		for i := range l {
			l[i] = randomNative(r, depth+1, invalid)
		}
		return l
	case 11, 12:
		m := make(map[string]any, 6)
		for range r.IntN(8) {
			m[randomString(r, invalid && r.IntN(10) == 0)] = randomNative(r, depth+1, invalid)
		}
		return m
	default:
		return wireStruct{Name: randomString(r, false), Tags: []string{"a"}, Extra: map[string]any{"x": randomNative(r, depth+1, invalid)}}
	}
}

func randomString(r *rand.Rand, invalid bool) string {
	pieces := []string{"", "a", "b", "é", "😀", "\uffff", "\U00010000", "\x00", "key", "a b", strings.Repeat("z", 130)}
	var sb strings.Builder
	for range r.IntN(4) {
		sb.WriteString(pieces[r.IntN(len(pieces))])
	}
	if invalid && r.IntN(15) == 0 {
		sb.WriteString("\xff")
	}
	return sb.String()
}

func TestAppendValueRandom(t *testing.T) {
	enc := NewFrameEncoder(0)
	r := rand.New(rand.NewPCG(1, 2))
	failures := 0
	for i := range 3000 {
		native := randomNative(r, 1, i%3 == 0)
		c := CallFrame{ID: r.Uint64(), Function: "f", Args: native}
		got, gotErr := enc.AppendCall(nil, c)
		want, wantErr := protoPathCall(t, enc, c)
		if wantErr != nil {
			failures++
			if gotErr == nil {
				t.Fatalf("case %d: direct path succeeded, proto path failed: %v", i, wantErr)
			}
			sameError(t, gotErr, wantErr)
			continue
		}
		if gotErr != nil {
			t.Fatalf("case %d: %v", i, gotErr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d (%#v):\ngot  %x\nwant %x", i, native, got, want)
		}
	}
	if failures == 0 || failures > 2000 {
		t.Errorf("%d of 3000 random values were invalid; the generator should mix both", failures)
	}
}

func FuzzAppendValue(f *testing.F) {
	f.Add(uint64(1), true)
	f.Add(uint64(42), false)
	f.Fuzz(func(t *testing.T, seed uint64, invalid bool) {
		r := rand.New(rand.NewPCG(seed, seed>>7))
		native := randomNative(r, 1, invalid)
		got, gotErr := AppendValue(nil, native, "value")
		v, wantErr := ToValue(native, "value")
		if wantErr != nil {
			sameError(t, gotErr, wantErr)
			return
		}
		want, err := proto.MarshalOptions{Deterministic: true}.Marshal(v)
		if err != nil || gotErr != nil {
			t.Fatal(err, gotErr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("got  %x\nwant %x", got, want)
		}
	})
}

// TestAppendCallConcurrent runs the direct path from many goroutines on one encoder
// (under -race), as an RPC layer does.
func TestAppendCallConcurrent(t *testing.T) {
	enc := NewFrameEncoder(0)
	args := map[string]any{"a": 1, "b": []any{"x", 2.5}, "c": map[string]any{"d": nil}}
	want, err := enc.AppendCall(nil, CallFrame{ID: 1, Function: "f", Args: args})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []byte)
	for range 8 {
		go func() {
			var buf []byte
			for range 200 {
				buf, _ = enc.AppendCall(buf[:0], CallFrame{ID: 1, Function: "f", Args: args})
			}
			done <- buf
		}()
	}
	for range 8 {
		if got := <-done; !bytes.Equal(got, want) {
			t.Errorf("got %x, want %x", got, want)
		}
	}
	if binary.BigEndian.Uint32(want) != uint32(len(want)-FrameHeaderBytes) {
		t.Errorf("bad length prefix")
	}
}

func TestAppendCallAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("-race makes sync.Pool drop items at random; the test target runs it again without -race, beside the fuzzer")
	}
	enc := NewFrameEncoder(0)
	args := map[string]any{"a": 1, "b": 2, "op": "sum"}
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(200, func() {
		var err error
		if buf, err = enc.AppendCall(buf[:0], CallFrame{ID: 42, Function: "add", Args: args, DeadlineMs: 500}); err != nil {
			t.Fatal(err)
		}
	})
	// The CallFrame's Args interface is boxed once by the compiler at most; the writer
	// itself allocates nothing once the pool is warm.
	if allocs > 1 {
		t.Errorf("AppendCall made %.1f allocations per call", allocs)
	}
}
