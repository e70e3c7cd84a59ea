package polyproc

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// ToValue maps a Go value to a Value (PROTOCOL.md §9): nil → null; bool; every int and
// uint kind → int (a uint above math.MaxInt64 is INVALID_VALUE); float32 and float64 →
// double (NaN written as the canonical quiet NaN, -0 and the infinities kept); string →
// string (invalid UTF-8 is INVALID_VALUE); []byte → bytes; other slices and arrays → list;
// maps with string keys → map, entries sorted by key in byte order; structs → map through
// their json tags (see Encode); pointers and interfaces are followed, nil ones and nil
// slices and maps → null; a *Value is taken as it is. Anything else (channels, functions,
// complex numbers, maps with other keys, structs that marshal themselves to JSON or text)
// is INVALID_VALUE, so is a value that contains itself (a cycle), and a tree deeper than
// MaxValueDepth is VALUE_TOO_DEEP. Errors are *ProtocolError whose Path starts at path,
// e.g. "args".
//
// The Value shares memory with v where the two can: bytes share []byte's array, and a
// *Value inside v is used in place. Do not modify them until the Value has been encoded.
func ToValue(v any, path string) (*Value, error) {
	if x, ok := v.(*Value); ok && x != nil {
		if x.GetKind() == nil {
			return nil, newFault(KindInvalidValue, noKindMessage).error(path)
		}
		return x, nil
	}
	dst := new(Value)
	if f := setValue(dst, v, 1); f != nil {
		return nil, explainTooDeep(v, f).error(path)
	}
	return dst, nil
}

// setValue makes dst, a Value at depth depth, the Value of v. The common types are handled
// without reflection; the rest goes to reflectSet. Every Value is built in place, inside
// its parent's storage, so that a scalar costs one small allocation (its oneof wrapper).
func setValue(dst *Value, v any, depth int) *fault {
	switch x := v.(type) {
	case nil:
		setNull(dst)
	case bool:
		dst.Kind = &polyprocv1.Value_BoolValue{BoolValue: x}
	case int:
		dst.Kind = &polyprocv1.Value_IntValue{IntValue: int64(x)}
	case int64:
		dst.Kind = &polyprocv1.Value_IntValue{IntValue: x}
	case int32:
		dst.Kind = &polyprocv1.Value_IntValue{IntValue: int64(x)}
	case uint64:
		return setUint(dst, x)
	case float64:
		setDouble(dst, x)
	case float32:
		setDouble(dst, float64(x))
	case string:
		return setString(dst, x)
	case []byte:
		if x == nil {
			setNull(dst)
		} else {
			dst.Kind = &polyprocv1.Value_BytesValue{BytesValue: x}
		}
	case []any:
		if x == nil {
			setNull(dst)
			return nil
		}
		items, f := newList(dst, len(x), depth)
		if f != nil {
			return f
		}
		for i, item := range items {
			if f := setValue(item, x[i], depth+1); f != nil {
				return f.atIndex(i)
			}
		}
	case map[string]any:
		if x == nil {
			setNull(dst)
			return nil
		}
		return setAnyMap(dst, x, depth)
	case *Value:
		return setShared(dst, x)
	default:
		return reflectSet(dst, v, depth)
	}
	return nil
}

// setAnyMap is setValue for map[string]any, the shape of most arguments.
func setAnyMap(dst *Value, m map[string]any, depth int) *fault {
	entries := newMap(dst, len(m))
	if len(entries) == 0 {
		return nil
	}
	var small [smallMapEntries]any
	values := small[:0]
	if len(m) > smallMapEntries {
		values = make([]any, 0, len(m))
	}
	for k, v := range m {
		entries[len(values)].Key = k
		values = append(values, v)
	}
	sortEntries(entries, values)
	if f := mapTooDeep(entries, depth); f != nil {
		return f
	}
	for i, e := range entries {
		if f := checkKey(e.Key); f != nil {
			return f
		}
		if f := setValue(e.Value, values[i], depth+1); f != nil {
			return f.atKey(e.Key)
		}
	}
	return nil
}

// nullKind is the oneof wrapper of null together with its empty message: one allocation.
type nullKind struct {
	w polyprocv1.Value_NullValue
	n polyprocv1.Null
}

func setNull(dst *Value) {
	k := new(nullKind)
	k.w.NullValue = &k.n
	dst.Kind = &k.w
}

func setUint(dst *Value, x uint64) *fault {
	if x > math.MaxInt64 {
		return newFault(KindInvalidValue, "the unsigned integer "+strconv.FormatUint(x, 10)+
			" is above the int64 range of a Value (max 9223372036854775807); send it as a string (strconv.FormatUint) or as a float64")
	}
	dst.Kind = &polyprocv1.Value_IntValue{IntValue: int64(x)}
	return nil
}

func setDouble(dst *Value, x float64) {
	if math.IsNaN(x) {
		x = math.Float64frombits(canonicalNaN)
	}
	dst.Kind = &polyprocv1.Value_DoubleValue{DoubleValue: x}
}

func setString(dst *Value, x string) *fault {
	if !utf8.ValidString(x) {
		return invalidUTF8(x)
	}
	dst.Kind = &polyprocv1.Value_StringValue{StringValue: x}
	return nil
}

// setShared makes dst the same Value as x, sharing x's kind (and so its subtree).
func setShared(dst, x *Value) *fault {
	if x == nil {
		setNull(dst)
		return nil
	}
	if x.GetKind() == nil {
		return newFault(KindInvalidValue, noKindMessage)
	}
	dst.Kind = x.GetKind()
	return nil
}

func invalidUTF8(s string) *fault {
	at := 0
	for at < len(s) {
		r, size := utf8.DecodeRuneInString(s[at:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		at += size
	}
	return newFault(KindInvalidValue, "the string is not valid UTF-8 (bad byte at offset "+strconv.Itoa(at)+
		"); send binary data as []byte, or fix the text's encoding")
}

// checkKey refuses a map key that is not valid UTF-8 (§9.5).
func checkKey(key string) *fault {
	if utf8.ValidString(key) {
		return nil
	}
	return newFault(KindInvalidValue, "the map key is not valid UTF-8; map keys are text, send binary data as []byte values").atKey(key)
}
