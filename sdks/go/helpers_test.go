package polyproc

import (
	"errors"
	"math"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// Builders of Values and frames for tests, with the generated types.

func vNull() *Value { return &Value{Kind: &polyprocv1.Value_NullValue{NullValue: &polyprocv1.Null{}}} }
func vBool(b bool) *Value {
	return &Value{Kind: &polyprocv1.Value_BoolValue{BoolValue: b}}
}
func vInt(n int64) *Value { return &Value{Kind: &polyprocv1.Value_IntValue{IntValue: n}} }
func vDouble(d float64) *Value {
	return &Value{Kind: &polyprocv1.Value_DoubleValue{DoubleValue: d}}
}
func vString(s string) *Value { return &Value{Kind: &polyprocv1.Value_StringValue{StringValue: s}} }
func vBytes(b []byte) *Value  { return &Value{Kind: &polyprocv1.Value_BytesValue{BytesValue: b}} }
func vList(items ...*Value) *Value {
	return &Value{Kind: &polyprocv1.Value_ListValue{ListValue: &polyprocv1.ListValue{Items: items}}}
}

// vMap builds a map from key, value pairs, in the order given.
func vMap(pairs ...any) *Value {
	m := &polyprocv1.MapValue{}
	for i := 0; i < len(pairs); i += 2 {
		var v *Value
		if pairs[i+1] != nil {
			v = pairs[i+1].(*Value)
		}
		m.Entries = append(m.Entries, &polyprocv1.MapEntry{Key: pairs[i].(string), Value: v})
	}
	return &Value{Kind: &polyprocv1.Value_MapValue{MapValue: m}}
}

// nestedList is a list nested depth levels deep around a null: depth 1 is the null.
func nestedList(depth int) *Value {
	v := vNull()
	for range depth - 1 {
		v = vList(v)
	}
	return v
}

// nestedMap is a map nested depth levels deep around a null, each under the key "k".
func nestedMap(depth int) *Value {
	v := vNull()
	for range depth - 1 {
		v = vMap("k", v)
	}
	return v
}

func callFrame(id uint64, function string, args *Value) *Frame {
	return &Frame{Kind: &polyprocv1.Frame_Call{Call: &polyprocv1.Call{Id: id, Function: function, Args: args}}}
}

func resultFrame(id uint64, value *Value) *Frame {
	return &Frame{Kind: &polyprocv1.Frame_Result{Result: &polyprocv1.Result{
		Id: id, Outcome: &polyprocv1.Result_Value{Value: value}}}}
}

func pingFrame(seq uint64) *Frame {
	return &Frame{Kind: &polyprocv1.Frame_Ping{Ping: &polyprocv1.Ping{Seq: seq}}}
}

// encodeFrames encodes frames with the default limit, failing the test on an error.
func encodeFrames(t testing.TB, frames ...*Frame) []byte {
	t.Helper()
	b, err := NewFrameEncoder(0).Encode(frames...)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return b
}

// decodeChunks feeds chunks to a new decoder, then ends it; it returns every frame and the
// first error.
func decodeChunks(maxFrameBytes int, chunks ...[]byte) ([]*Frame, error) {
	d := NewFrameDecoder(maxFrameBytes)
	var all []*Frame
	for _, c := range chunks {
		frames, err := d.Push(c)
		all = append(all, frames...)
		if err != nil {
			return all, err
		}
	}
	return all, d.End()
}

// byteByByte splits b into chunks of one byte.
func byteByByte(b []byte) [][]byte {
	chunks := make([][]byte, len(b))
	for i := range b {
		chunks[i] = b[i : i+1]
	}
	return chunks
}

// kindOf returns the ProtocolErrorKind of err, "" for nil, or fails the test when err is
// not a *ProtocolError.
func kindOf(t testing.TB, err error) ProtocolErrorKind {
	t.Helper()
	if err == nil {
		return ""
	}
	var pe *ProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ProtocolError", err, err)
	}
	return pe.Kind
}

// normalForm serializes a frame deterministically after discarding unknown fields and
// writing every NaN as the canonical NaN: two frames are the same frame when their normal
// forms are equal. (Go's protojson parses "NaN" as math.NaN(), whose bits differ from
// those on the wire, and JSON cannot carry NaN payloads anyway.)
func normalForm(t testing.TB, f *Frame) []byte {
	t.Helper()
	c := proto.Clone(f)
	normalize(c.ProtoReflect())
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(c)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

func normalize(m protoreflect.Message) {
	m.SetUnknown(nil)
	var nans []protoreflect.FieldDescriptor
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			for i := range v.List().Len() {
				normalize(v.List().Get(i).Message())
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				normalize(mv.Message())
				return true
			})
		case fd.Message() != nil && !fd.IsMap():
			normalize(v.Message())
		case fd.Kind() == protoreflect.DoubleKind && math.IsNaN(v.Float()):
			nans = append(nans, fd)
		}
		return true
	})
	// Set after Range: a message must not change while Range walks it.
	for _, fd := range nans {
		m.Set(fd, protoreflect.ValueOfFloat64(math.Float64frombits(canonicalNaN)))
	}
}
