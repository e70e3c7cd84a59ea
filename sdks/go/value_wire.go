package polyproc

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// The direct path: a native Go value written straight into the protobuf bytes of a Value
// (PROTOCOL.md §9), without building the Value tree that ToValue builds. The bytes are
// exactly those of proto.MarshalOptions{Deterministic: true} applied to ToValue's Value,
// in canonical form (§9.3 NaN, §9.6 sorted map entries, null written as null_value), and
// the errors are ToValue's: the same checks in the same order, the same kinds and paths.
//
// Writing takes two passes over the value. The size pass validates it and records, in
// pre-order, the encoded size of every Value (so that a length prefix is known before the
// member is written, without quadratic work) and the sorted entries of every map. The
// write pass then walks the value again in the same order and consumes those records.
// The common types (nil, bool, ints, floats, string, []byte, []any, map[string]any) are
// handled without reflection; every other type goes through ToValue's own code for that
// member (setValue), and the resulting sub-Value is checked as FrameEncoder checks a frame
// (a *Value inside v included) and marshalled by the protobuf runtime.

// Wire tags of the fields of Value, ListValue, MapValue and MapEntry (value.proto).
const (
	tagNull   = 1<<3 | 2 // null_value = 1, a message
	tagBool   = 2<<3 | 0 // bool_value = 2, varint
	tagInt    = 3<<3 | 0 // int_value = 3, sint64 varint
	tagDouble = 4<<3 | 1 // double_value = 4, fixed64
	tagString = 5<<3 | 2 // string_value = 5
	tagBytes  = 6<<3 | 2 // bytes_value = 6
	tagList   = 7<<3 | 2 // list_value = 7
	tagMap    = 8<<3 | 2 // map_value = 8
	tagItem   = 1<<3 | 2 // ListValue.items = 1, MapValue.entries = 1, MapEntry.key = 1
	tagValue2 = 2<<3 | 2 // MapEntry.value = 2
)

// A wireEntry is one map entry of the size pass, kept for the write pass.
type wireEntry struct {
	key string
	val any
}

// valueWriter holds the records of the size pass. Its slices are reused from one value to
// the next (see getValueWriter), so a warm writer allocates nothing for the common types.
type valueWriter struct {
	sizes   []int       // the encoded size of every Value, in pre-order
	entries []wireEntry // the entries of every map[string]any, sorted, in pre-order
	subs    []*Value    // the Values built for the members of other types, in pre-order
	keys    []string    // the sorted keys of Call.metadata
	// cursors of the write pass
	si, ei, vi int
	// err is the protobuf runtime's failure to marshal a sub-Value (a *Value of the
	// caller's with a string that is not UTF-8), found by the write pass.
	err error
}

var valueWriterPool = sync.Pool{New: func() any { return new(valueWriter) }}

func getValueWriter() *valueWriter { return valueWriterPool.Get().(*valueWriter) }

func putValueWriter(w *valueWriter) {
	// Large scratch slices are dropped rather than kept alive by the pool.
	if cap(w.sizes) > 1<<16 || cap(w.entries) > 1<<16 || cap(w.subs) > 1<<12 {
		return
	}
	clear(w.entries) // let the values be collected
	clear(w.subs)
	clear(w.keys)
	w.sizes, w.entries, w.subs, w.keys = w.sizes[:0], w.entries[:0], w.subs[:0], w.keys[:0]
	w.si, w.ei, w.vi, w.err = 0, 0, 0, nil
	valueWriterPool.Put(w)
}

// prepare runs the size pass over v, the root Value of a field, and returns the size of
// its encoding (the Value message, without its field tag and length). Errors are
// *ProtocolError whose Path starts at root, as ToValue(v, root) reports them.
func (w *valueWriter) prepare(v any, root string) (int, error) {
	if x, ok := v.(*Value); ok && x != nil && x.GetKind() == nil {
		return 0, newFault(KindInvalidValue, noKindMessage).error(root)
	}
	n, f := w.size(v, 1)
	if f != nil {
		return 0, explainTooDeep(v, f).error(root)
	}
	return n, nil
}

// size is the size pass for v, a Value at depth depth.
func (w *valueWriter) size(v any, depth int) (int, *fault) {
	switch x := v.(type) {
	case nil:
		return w.leaf(2), nil
	case bool:
		return w.leaf(2), nil
	case int:
		return w.leaf(1 + protowire.SizeVarint(protowire.EncodeZigZag(int64(x)))), nil
	case int64:
		return w.leaf(1 + protowire.SizeVarint(protowire.EncodeZigZag(x))), nil
	case int32:
		return w.leaf(1 + protowire.SizeVarint(protowire.EncodeZigZag(int64(x)))), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, setUint(nil, x)
		}
		return w.leaf(1 + protowire.SizeVarint(protowire.EncodeZigZag(int64(x)))), nil
	case float64, float32:
		return w.leaf(9), nil
	case string:
		if !utf8.ValidString(x) {
			return 0, invalidUTF8(x)
		}
		return w.leaf(1 + protowire.SizeBytes(len(x))), nil
	case []byte:
		if x == nil {
			return w.leaf(2), nil
		}
		return w.leaf(1 + protowire.SizeBytes(len(x))), nil
	case []any:
		if x == nil {
			return w.leaf(2), nil
		}
		at := w.reserve()
		if len(x) > 0 && depth >= MaxValueDepth {
			return 0, tooDeep().atIndex(0)
		}
		body := 0
		for i, item := range x {
			n, f := w.size(item, depth+1)
			if f != nil {
				return 0, f.atIndex(i)
			}
			body += 1 + protowire.SizeBytes(n)
		}
		return w.setContainer(at, body), nil
	case map[string]any:
		if x == nil {
			return w.leaf(2), nil
		}
		return w.sizeMap(x, depth)
	default:
		return w.sizeOther(v, depth)
	}
}

// sizeMap is size for map[string]any, with setAnyMap's order of checks: sort, depth, then
// each entry's key and value.
func (w *valueWriter) sizeMap(m map[string]any, depth int) (int, *fault) {
	at := w.reserve()
	start := len(w.entries)
	for k, v := range m {
		w.entries = append(w.entries, wireEntry{k, v})
	}
	n := len(m)
	sortWireEntries(w.entries[start : start+n])
	if n > 0 && depth >= MaxValueDepth {
		return 0, tooDeep().atKey(w.entries[start].key)
	}
	body := 0
	for i := start; i < start+n; i++ {
		e := w.entries[i] // w.entries may grow below: index it afresh each time
		if f := checkKey(e.key); f != nil {
			return 0, f
		}
		vn, f := w.size(e.val, depth+1)
		if f != nil {
			return 0, f.atKey(e.key)
		}
		body += 1 + protowire.SizeBytes(entrySize(e.key, vn))
	}
	return w.setContainer(at, body), nil
}

// entrySize is the size of a MapEntry's body: the key (left out when empty, as proto3
// does) and the value, always present.
func entrySize(key string, valueSize int) int {
	n := 1 + protowire.SizeBytes(valueSize)
	if key != "" {
		n += 1 + protowire.SizeBytes(len(key))
	}
	return n
}

// sizeOther builds the Value of a member of any other type with ToValue's own code, checks
// it as FrameEncoder checks a frame's Value (it may hold a *Value of the caller's, which
// ToValue shares as it is), canonicalises a copy if needed and keeps it for the write pass.
func (w *valueWriter) sizeOther(v any, depth int) (int, *fault) {
	sub := new(Value)
	if f := setValue(sub, v, depth); f != nil {
		return 0, f
	}
	check := walker{encoding: true}
	if f := check.value(sub, depth); f != nil {
		return 0, f
	}
	if check.needsFix {
		sub = proto.Clone(sub).(*Value)
		canonicalizeValue(sub)
	}
	w.subs = append(w.subs, sub)
	return w.leaf(marshalOptions.Size(sub)), nil
}

func (w *valueWriter) leaf(n int) int {
	w.sizes = append(w.sizes, n)
	return n
}

// reserve takes the two records of a list or map, filled in by setContainer once its
// members are sized: the Value's size, then the size of its ListValue or MapValue body.
func (w *valueWriter) reserve() int {
	w.sizes = append(w.sizes, 0, 0)
	return len(w.sizes) - 2
}

func (w *valueWriter) setContainer(at, body int) int {
	n := 1 + protowire.SizeBytes(body)
	w.sizes[at], w.sizes[at+1] = n, body
	return n
}

// sortWireEntries sorts entries by key in byte order (§9.6), as sortEntries does.
func sortWireEntries(entries []wireEntry) {
	if len(entries) <= 12 {
		for i := 1; i < len(entries); i++ {
			for j := i; j > 0 && entries[j].key < entries[j-1].key; j-- {
				entries[j], entries[j-1] = entries[j-1], entries[j]
			}
		}
		return
	}
	slices.SortFunc(entries, func(a, b wireEntry) int { return strings.Compare(a.key, b.key) })
}

// write is the write pass: it appends the body of the Value of v, which the size pass
// has seen at this point of its walk.
func (w *valueWriter) write(b []byte, v any) []byte {
	w.si++ // this Value's size, known to the caller
	switch x := v.(type) {
	case nil:
		return append(b, tagNull, 0)
	case bool:
		return append(b, tagBool, boolByte(x))
	case int:
		return protowire.AppendVarint(append(b, tagInt), protowire.EncodeZigZag(int64(x)))
	case int64:
		return protowire.AppendVarint(append(b, tagInt), protowire.EncodeZigZag(x))
	case int32:
		return protowire.AppendVarint(append(b, tagInt), protowire.EncodeZigZag(int64(x)))
	case uint64:
		return protowire.AppendVarint(append(b, tagInt), protowire.EncodeZigZag(int64(x)))
	case float64:
		return appendDouble(b, x)
	case float32:
		return appendDouble(b, float64(x))
	case string:
		return protowire.AppendString(append(b, tagString), x)
	case []byte:
		if x == nil {
			return append(b, tagNull, 0)
		}
		return protowire.AppendBytes(append(b, tagBytes), x)
	case []any:
		if x == nil {
			return append(b, tagNull, 0)
		}
		b = protowire.AppendVarint(append(b, tagList), uint64(w.sizes[w.si]))
		w.si++
		for _, item := range x {
			b = protowire.AppendVarint(append(b, tagItem), uint64(w.sizes[w.si]))
			b = w.write(b, item)
		}
		return b
	case map[string]any:
		if x == nil {
			return append(b, tagNull, 0)
		}
		b = protowire.AppendVarint(append(b, tagMap), uint64(w.sizes[w.si]))
		w.si++
		start := w.ei
		w.ei += len(x)
		for i := start; i < start+len(x); i++ {
			e := w.entries[i]
			vn := w.sizes[w.si]
			b = protowire.AppendVarint(append(b, tagItem), uint64(entrySize(e.key, vn)))
			if e.key != "" {
				b = protowire.AppendString(append(b, tagItem), e.key)
			}
			b = protowire.AppendVarint(append(b, tagValue2), uint64(vn))
			b = w.write(b, e.val)
		}
		return b
	default:
		sub := w.subs[w.vi]
		w.vi++
		out, err := marshalOptions.MarshalAppend(b, sub)
		if err != nil {
			w.err = err
			return b
		}
		return out
	}
}

func boolByte(x bool) byte {
	if x {
		return 1
	}
	return 0
}

func appendDouble(b []byte, x float64) []byte {
	bits := math.Float64bits(x)
	if math.IsNaN(x) {
		bits = canonicalNaN
	}
	return binary.LittleEndian.AppendUint64(append(b, tagDouble), bits)
}

// AppendValue appends the protobuf encoding of the Value of v (a polyproc.v1.Value
// message body, PROTOCOL.md §9) to dst, without building the Value: the bytes are those
// of proto.MarshalOptions{Deterministic: true}.Marshal of ToValue(v, path), in canonical
// form, and the errors are ToValue's (*ProtocolError, Path from path). On an error
// nothing is appended. A *Value inside v is checked as FrameEncoder checks a frame and
// written canonically.
func AppendValue(dst []byte, v any, path string) ([]byte, error) {
	w := getValueWriter()
	defer putValueWriter(w)
	if _, err := w.prepare(v, path); err != nil {
		return dst, err
	}
	out := w.write(dst, v)
	if w.err != nil {
		return dst, &ProtocolError{Kind: KindMalformedFrame, Message: "the value cannot be serialized: " + w.err.Error(), Err: w.err}
	}
	return out, nil
}
