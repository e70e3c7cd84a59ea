package polyproc

import (
	"reflect"
	"strconv"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// Encode maps a T to a Value (PROTOCOL.md §9), as ToValue does with the root path
// "value". Structs become maps as encoding/json would write them: exported fields named
// by their `json` tag or else their Go name, `json:"-"` left out, `omitempty` and
// `omitzero` honoured, the fields of untagged embedded structs promoted; other tag
// options are ignored, and types that implement json.Marshaler or encoding.TextMarshaler
// are refused (INVALID_VALUE), since their own methods are not called.
func Encode[T any](v T) (*Value, error) {
	return ToValue(v, "value")
}

// Decode maps a Value to a T (PROTOCOL.md §9): null (or a nil *Value) gives T's zero
// value; bool → bool kinds; int → int kinds (range-checked), uint kinds (range-checked)
// and float kinds; double → float kinds, and to int kinds when it is integral and in
// range (so that 2.0 from Python or JavaScript fills an int); string → string kinds;
// bytes → []byte kinds (sharing the Value's memory); list → slices, and arrays of the
// same length; map → maps with string keys and structs (keys matched exactly to the names
// Encode gives, unknown keys ignored, absent fields left zero); pointers are allocated as
// needed; `any` receives what FromValue gives; *Value receives the Value itself. Any
// other mismatch is INVALID_VALUE naming the path from "value" and the Go type wanted;
// an SDK answers a call whose arguments fail to decode with INVALID_ARGUMENT (§5.8).
func Decode[T any](v *Value) (T, error) {
	var out T
	if f := decodeInto(v, reflect.ValueOf(&out).Elem(), 1); f != nil {
		var zero T
		return zero, f.error("value")
	}
	return out, nil
}

// decodeInto sets rv, which is settable, from v at depth depth.
func decodeInto(v *Value, rv reflect.Value, depth int) *fault {
	t := rv.Type()
	if t == valuePtrType {
		rv.Set(reflect.ValueOf(v))
		return nil
	}
	if v == nil || v.GetNullValue() != nil {
		rv.SetZero()
		return nil
	}
	if v.GetKind() == nil {
		return newFault(KindInvalidValue, noKindMessage)
	}
	switch t.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			rv.Set(reflect.New(t.Elem()))
		}
		return decodeInto(v, rv.Elem(), depth)
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return newFault(KindInvalidValue, "cannot decode into the interface type "+t.String()+"; decode into a concrete type or into any")
		}
		x, f := fromValue(v, depth)
		if f != nil {
			return f
		}
		rv.Set(reflect.ValueOf(x))
		return nil
	case reflect.Bool:
		b, ok := v.Kind.(*polyprocv1.Value_BoolValue)
		if !ok {
			return mismatch(v, t)
		}
		rv.SetBool(b.BoolValue)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decodeInt(v, rv)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return decodeUint(v, rv)
	case reflect.Float32, reflect.Float64:
		return decodeFloat(v, rv)
	case reflect.String:
		s, ok := v.Kind.(*polyprocv1.Value_StringValue)
		if !ok {
			return mismatch(v, t)
		}
		rv.SetString(s.StringValue)
		return nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			b, ok := v.Kind.(*polyprocv1.Value_BytesValue)
			if !ok {
				return mismatch(v, t)
			}
			bs := b.BytesValue
			if bs == nil {
				bs = []byte{} // empty bytes, not null
			}
			rv.SetBytes(bs)
			return nil
		}
		return decodeList(v, rv, depth)
	case reflect.Array:
		return decodeList(v, rv, depth)
	case reflect.Map:
		return decodeMap(v, rv, depth)
	case reflect.Struct:
		return decodeStruct(v, rv, depth)
	}
	return newFault(KindInvalidValue, "cannot decode into a "+t.String()+"; use a bool, number, string, []byte, slice, array, map with string keys, struct, pointer or any")
}

// kindName describes a Value's kind for error messages.
func kindName(v *Value) string {
	switch v.GetKind().(type) {
	case *polyprocv1.Value_NullValue:
		return "null"
	case *polyprocv1.Value_BoolValue:
		return "a bool"
	case *polyprocv1.Value_IntValue:
		return "an int"
	case *polyprocv1.Value_DoubleValue:
		return "a double"
	case *polyprocv1.Value_StringValue:
		return "a string"
	case *polyprocv1.Value_BytesValue:
		return "bytes"
	case *polyprocv1.Value_ListValue:
		return "a list"
	case *polyprocv1.Value_MapValue:
		return "a map"
	}
	return "a Value with no kind"
}

func mismatch(v *Value, t reflect.Type) *fault {
	return newFault(KindInvalidValue, "got "+kindName(v)+", which does not fit a "+t.String()+
		"; send a value of the expected kind, or decode into a type that fits (any takes every value)")
}

func decodeList(v *Value, rv reflect.Value, depth int) *fault {
	l, ok := v.Kind.(*polyprocv1.Value_ListValue)
	if !ok {
		return mismatch(v, rv.Type())
	}
	items := l.ListValue.GetItems()
	if rv.Kind() == reflect.Array {
		if rv.Len() != len(items) {
			return newFault(KindInvalidValue, "got a list of "+strconv.Itoa(len(items))+" items for a "+rv.Type().String()+
				"; send exactly "+strconv.Itoa(rv.Len())+" items, or decode into a slice")
		}
	} else {
		rv.Set(reflect.MakeSlice(rv.Type(), len(items), len(items)))
	}
	if len(items) > 0 && depth >= MaxValueDepth {
		return tooDeep().atIndex(0)
	}
	for i, item := range items {
		if item == nil {
			return newFault(KindInvalidValue, noKindMessage).atIndex(i)
		}
		if f := decodeInto(item, rv.Index(i), depth+1); f != nil {
			return f.atIndex(i)
		}
	}
	return nil
}

func decodeMap(v *Value, rv reflect.Value, depth int) *fault {
	t := rv.Type()
	if t.Key().Kind() != reflect.String {
		return newFault(KindInvalidValue, "cannot decode into a "+t.String()+": map keys must be strings; use a map with string keys")
	}
	m, ok := v.Kind.(*polyprocv1.Value_MapValue)
	if !ok {
		return mismatch(v, t)
	}
	entries := m.MapValue.GetEntries()
	if len(entries) > 0 && depth >= MaxValueDepth {
		return tooDeep().atKey(entries[0].GetKey())
	}
	out := reflect.MakeMapWithSize(t, len(entries))
	for _, e := range entries {
		elem := reflect.New(t.Elem()).Elem()
		if f := decodeInto(e.GetValue(), elem, depth+1); f != nil {
			return f.atKey(e.GetKey())
		}
		out.SetMapIndex(reflect.ValueOf(e.GetKey()).Convert(t.Key()), elem)
	}
	if out.Len() != len(entries) {
		if key, dup := duplicateKey(entries); dup {
			return duplicateKeyFault(key)
		}
	}
	rv.Set(out)
	return nil
}

func decodeStruct(v *Value, rv reflect.Value, depth int) *fault {
	m, ok := v.Kind.(*polyprocv1.Value_MapValue)
	if !ok {
		return mismatch(v, rv.Type())
	}
	entries := m.MapValue.GetEntries()
	if len(entries) > 0 && depth >= MaxValueDepth {
		return tooDeep().atKey(entries[0].GetKey())
	}
	if len(entries) > 1 {
		if key, dup := duplicateKey(entries); dup {
			return duplicateKeyFault(key)
		}
	}
	fields := fieldsOf(rv.Type())
	for _, e := range entries {
		field := fieldByName(fields, e.GetKey())
		if field == nil {
			continue
		}
		fv, ok := settableField(rv, field.index)
		if !ok {
			return newFault(KindInvalidValue, "cannot set the field through a nil pointer to an unexported embedded struct of "+
				rv.Type().String()+"; export the embedded type or make it a value instead of a pointer").atKey(e.GetKey())
		}
		if f := decodeInto(e.GetValue(), fv, depth+1); f != nil {
			return f.atKey(e.GetKey())
		}
	}
	return nil
}

// settableField returns the field at index, allocating nil embedded pointers on the way;
// false when such a pointer is an unexported field and cannot be set.
func settableField(rv reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				if !rv.CanSet() {
					return reflect.Value{}, false
				}
				rv.Set(reflect.New(rv.Type().Elem()))
			}
			rv = rv.Elem()
		}
		rv = rv.Field(x)
	}
	return rv, true
}
