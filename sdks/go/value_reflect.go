package polyproc

import (
	"encoding"
	"encoding/json"
	"reflect"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

var (
	valuePtrType     = reflect.TypeFor[*Value]()
	jsonMarshalerTyp = reflect.TypeFor[json.Marshaler]()
	textMarshalerTyp = reflect.TypeFor[encoding.TextMarshaler]()
)

// maxPointerHops bounds a chain of pointers and interfaces between two levels of a value,
// which is how a cycle that does not go through a list or map (p := new(any); *p = p)
// shows itself.
const maxPointerHops = 64

// reflectSet is setValue for the types it has no fast path for.
func reflectSet(dst *Value, v any, depth int) *fault {
	return reflectSetValue(dst, reflect.ValueOf(v), depth)
}

func reflectSetValue(dst *Value, rv reflect.Value, depth int) *fault {
	for hops := 0; ; hops++ {
		if rv.Type() == valuePtrType {
			return setShared(dst, rv.Interface().(*Value))
		}
		if k := rv.Kind(); k != reflect.Pointer && k != reflect.Interface {
			break
		}
		if rv.IsNil() {
			setNull(dst)
			return nil
		}
		if hops == maxPointerHops {
			return newFault(KindInvalidValue, "the value is a chain of more than 64 pointers or interfaces, most likely a cycle; break the cycle before sending it")
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Bool:
		dst.Kind = &polyprocv1.Value_BoolValue{BoolValue: rv.Bool()}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		dst.Kind = &polyprocv1.Value_IntValue{IntValue: rv.Int()}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return setUint(dst, rv.Uint())
	case reflect.Float32, reflect.Float64:
		setDouble(dst, rv.Float())
	case reflect.String:
		return setString(dst, rv.String())
	case reflect.Slice:
		if rv.IsNil() {
			setNull(dst)
			return nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			dst.Kind = &polyprocv1.Value_BytesValue{BytesValue: rv.Bytes()}
			return nil
		}
		return reflectList(dst, rv, depth)
	case reflect.Array:
		return reflectList(dst, rv, depth)
	case reflect.Map:
		return reflectMap(dst, rv, depth)
	case reflect.Struct:
		return reflectStruct(dst, rv, depth)
	default:
		return newFault(KindInvalidValue, "a "+rv.Type().String()+" has no Value form; convert it to a bool, number, string, []byte, slice, map with string keys or struct first")
	}
	return nil
}

func reflectList(dst *Value, rv reflect.Value, depth int) *fault {
	items, f := newList(dst, rv.Len(), depth)
	if f != nil {
		return f
	}
	for i, item := range items {
		if f := reflectSetValue(item, rv.Index(i), depth+1); f != nil {
			return f.atIndex(i)
		}
	}
	return nil
}

func reflectMap(dst *Value, rv reflect.Value, depth int) *fault {
	t := rv.Type()
	if t.Key().Kind() != reflect.String {
		return newFault(KindInvalidValue, "a "+t.String()+" has no Value form: map keys must be strings; convert the keys (strconv.Itoa, fmt.Sprint) first")
	}
	if rv.IsNil() {
		setNull(dst)
		return nil
	}
	entries := newMap(dst, rv.Len())
	values := make([]reflect.Value, 0, len(entries))
	for it := rv.MapRange(); it.Next(); {
		entries[len(values)].Key = it.Key().String()
		values = append(values, it.Value())
	}
	sortEntries(entries, values)
	return setEntries(entries, values, depth)
}

// setEntries sets the values of a map's sorted entries.
func setEntries(entries []*polyprocv1.MapEntry, values []reflect.Value, depth int) *fault {
	if f := mapTooDeep(entries, depth); f != nil {
		return f
	}
	for i, e := range entries {
		if f := checkKey(e.Key); f != nil {
			return f
		}
		if f := reflectSetValue(e.Value, values[i], depth+1); f != nil {
			return f.atKey(e.Key)
		}
	}
	return nil
}

// reflectStruct maps a struct to a map through its fields' json tags, as encoding/json
// would name them (see Encode).
func reflectStruct(dst *Value, rv reflect.Value, depth int) *fault {
	t := rv.Type()
	if t.Implements(jsonMarshalerTyp) || reflect.PointerTo(t).Implements(jsonMarshalerTyp) ||
		t.Implements(textMarshalerTyp) || reflect.PointerTo(t).Implements(textMarshalerTyp) {
		return newFault(KindInvalidValue, "a "+t.String()+" marshals itself to JSON or text, which polyproc does not call; "+
			"convert it first (for a time.Time: t.Format(time.RFC3339Nano) or t.UnixMilli())")
	}
	fields := fieldsOf(t)
	present := make([]*structField, 0, len(fields))
	values := make([]reflect.Value, 0, len(fields))
	for i := range fields {
		f := &fields[i]
		fv, ok := fieldByIndex(rv, f.index)
		if !ok || f.omitEmpty && isEmptyValue(fv) || f.omitZero && fv.IsZero() {
			continue
		}
		present = append(present, f)
		values = append(values, fv)
	}
	entries := newMap(dst, len(present))
	for i, f := range present {
		entries[i].Key = f.name // fieldsOf sorts the fields by name: the entries are in order
	}
	return setEntries(entries, values, depth)
}

// fieldByIndex is reflect.Value.FieldByIndex that reports a nil embedded pointer on the
// way (the field is then absent) instead of panicking.
func fieldByIndex(rv reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return reflect.Value{}, false
			}
			rv = rv.Elem()
		}
		rv = rv.Field(x)
	}
	return rv, true
}

// isEmptyValue is encoding/json's test for omitempty: false, 0, "", a nil pointer or
// interface, an empty slice, map or array.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
