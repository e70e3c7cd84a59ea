package polyproc

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
)

// valueBytes is a Value's deterministic serialization: equal bytes, equal Values, double
// bits included (so NaN payloads and -0 count).
func valueBytes(t testing.TB, v *Value) []byte {
	t.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type (
	userID   int64
	userName string
	blob     []byte
	keyName  string
)

func TestToValue(t *testing.T) {
	var nilInt *int
	seven := 7
	shared := map[string]any{"x": 1}
	tests := []struct {
		name string
		in   any
		want *Value
	}{
		{"nil", nil, vNull()},
		{"nil pointer", nilInt, vNull()},
		{"nil slice", []int(nil), vNull()},
		{"nil []byte", []byte(nil), vNull()},
		{"nil map", map[string]any(nil), vNull()},
		{"nil *Value", (*Value)(nil), vNull()},
		{"true", true, vBool(true)},
		{"false", false, vBool(false)},
		{"int", 42, vInt(42)},
		{"int8", int8(-5), vInt(-5)},
		{"int64 min", int64(math.MinInt64), vInt(math.MinInt64)},
		{"uint8", uint8(200), vInt(200)},
		{"uint64 max int64", uint64(math.MaxInt64), vInt(math.MaxInt64)},
		{"uintptr", uintptr(9), vInt(9)},
		{"named int", userID(12), vInt(12)},
		{"pointer to int", &seven, vInt(7)},
		{"float64", 2.5, vDouble(2.5)},
		{"float32 widened exactly", float32(0.1), vDouble(float64(float32(0.1)))},
		{"Go NaN canonicalised", math.NaN(), vDouble(math.Float64frombits(canonicalNaN))},
		{"float32 NaN canonicalised", float32(math.NaN()), vDouble(math.Float64frombits(canonicalNaN))},
		{"negative NaN canonicalised", math.Float64frombits(0xFFF8000000000000), vDouble(math.Float64frombits(canonicalNaN))},
		{"-0 kept", math.Copysign(0, -1), vDouble(math.Copysign(0, -1))},
		{"+Inf", math.Inf(1), vDouble(math.Inf(1))},
		{"string", "héllo", vString("héllo")},
		{"empty string", "", vString("")},
		{"named string", userName("ann"), vString("ann")},
		{"bytes", []byte{1, 2}, vBytes([]byte{1, 2})},
		{"empty bytes are bytes", []byte{}, vBytes([]byte{})},
		{"named bytes", blob{3}, vBytes([]byte{3})},
		{"byte array is a list", [2]byte{1, 2}, vList(vInt(1), vInt(2))},
		{"[]any", []any{nil, 1, "a"}, vList(vNull(), vInt(1), vString("a"))},
		{"[]int", []int{1, 2}, vList(vInt(1), vInt(2))},
		{"empty slice", []string{}, vList()},
		{"array", [2]string{"a", "b"}, vList(vString("a"), vString("b"))},
		{"map[string]any", map[string]any{"b": 2, "a": 1}, vMap("a", vInt(1), "b", vInt(2))},
		{"map[string]int", map[string]int{"b": 2, "a": 1}, vMap("a", vInt(1), "b", vInt(2))},
		{"named key type", map[keyName]bool{"k": true}, vMap("k", vBool(true))},
		{"empty map", map[string]any{}, vMap()},
		{"shared, not a cycle", []any{shared, shared}, vList(vMap("x", vInt(1)), vMap("x", vInt(1)))},
		{"*Value taken as is", vList(vInt(1)), vList(vInt(1))},
		{"*Value inside", map[string]any{"v": vString("s")}, vMap("v", vString("s"))},
		{"map keys in code point order", map[string]any{
			"b": 1, "a": 1, "é": 1, "z": 1, "Z": 1, "": 1, "\uffff": 1, "\U0001F600": 1, "aa": 1,
		}, vMap("", vInt(1), "Z", vInt(1), "a", vInt(1), "aa", vInt(1), "b", vInt(1), "z", vInt(1),
			"é", vInt(1), "\uffff", vInt(1), "\U0001F600", vInt(1))},
		{"64 levels", nestedAny(64), nestedList(64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToValue(tt.in, "args")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(valueBytes(t, got), valueBytes(t, tt.want)) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// nestedAny is []any nested depth levels deep around nil.
func nestedAny(depth int) any {
	var v any
	for range depth - 1 {
		v = []any{v}
	}
	return v
}

type node struct {
	Name string `json:"name"`
	Next *node  `json:"next"`
}

func TestToValueErrors(t *testing.T) {
	selfMap := map[string]any{"a": 1}
	selfMap["self"] = selfMap
	selfSlice := []any{1, nil}
	selfSlice[1] = selfSlice
	loop := &node{Name: "loop"}
	loop.Next = &node{Name: "back", Next: loop}
	selfPointer := new(any)
	*selfPointer = selfPointer
	tests := []struct {
		name    string
		in      any
		kind    ProtocolErrorKind
		path    string
		message string
	}{
		{"uint above int64", uint64(math.MaxInt64) + 1, KindInvalidValue, "args", "send it as a string"},
		{"invalid UTF-8", "ab\xffc", KindInvalidValue, "args", "offset 2"},
		{"invalid UTF-8 key", map[string]int{"\xff": 1}, KindInvalidValue, "args[\"\ufffd\"]", "map key is not valid UTF-8"},
		{"map with int keys", map[int]string{1: "a"}, KindInvalidValue, "args", "map keys must be strings"},
		{"channel", make(chan int), KindInvalidValue, "args", "chan int has no Value form"},
		{"function", func() {}, KindInvalidValue, "args", "has no Value form"},
		{"complex", complex(1, 2), KindInvalidValue, "args", "complex128 has no Value form"},
		{"time.Time", time.Unix(0, 0), KindInvalidValue, "args", "RFC3339"},
		{"path through lists and maps", map[string]any{"items": []any{1, 2, 3, map[string]any{"price": make(chan int)}}},
			KindInvalidValue, "args.items[3].price", "chan int"},
		{"key that is not an identifier", map[string]any{"not an identifier": complex64(1)}, KindInvalidValue, `args["not an identifier"]`, "complex64"},
		{"key quoted as JSON.stringify does", map[string]any{"a\"b\\\n\t\x01é<>": complex64(1)}, KindInvalidValue, `args["a\"b\\\n\t\u0001é<>"]`, "complex64"},
		{"key starting with a digit", map[string]any{"2": []any{complex64(1)}}, KindInvalidValue, `args["2"][0]`, "complex64"},
		{"65 levels", nestedAny(65), KindValueTooDeep, "args" + strings.Repeat("[0]", 64), "deeper than 64"},
		{"65 levels of maps", nestedStringMaps(65), KindValueTooDeep, "args" + strings.Repeat(".k", 64), "deeper than 64"},
		{"map that contains itself", selfMap, KindInvalidValue, "args.self", "contains itself"},
		{"slice that contains itself", selfSlice, KindInvalidValue, "args[1]", "contains itself"},
		{"struct pointers in a loop", loop, KindInvalidValue, "args.next.next", "contains itself"},
		{"pointer to itself", selfPointer, KindInvalidValue, "args", "cycle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ToValue(tt.in, "args")
			if v != nil {
				t.Errorf("ToValue returned a Value with its error")
			}
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ProtocolError", err)
			}
			if pe.Kind != tt.kind || pe.Path != tt.path || !strings.Contains(pe.Message, tt.message) {
				t.Fatalf("got %s at %q: %q\nwant %s at %q containing %q", pe.Kind, pe.Path, pe.Message, tt.kind, tt.path, tt.message)
			}
			if !strings.HasPrefix(pe.Message, tt.path+": ") {
				t.Errorf("message %q does not start with the path", pe.Message)
			}
		})
	}
}

func nestedStringMaps(depth int) any {
	var v any = "leaf"
	for range depth - 1 {
		v = map[string]any{"k": v}
	}
	return v
}

func TestFromValue(t *testing.T) {
	tests := []struct {
		name string
		in   *Value
		want any
	}{
		{"nil *Value", nil, nil},
		{"null", vNull(), nil},
		{"bool", vBool(true), true},
		{"int", vInt(-3), int64(-3)},
		{"double", vDouble(0.5), 0.5},
		{"string", vString("s"), "s"},
		{"bytes", vBytes([]byte{1}), []byte{1}},
		{"empty bytes", vBytes(nil), []byte{}},
		{"list", vList(vInt(1), vNull(), vList()), []any{int64(1), nil, []any{}}},
		{"map", vMap("b", vString("x"), "a", nil), map[string]any{"a": nil, "b": "x"}},
		{"empty map", vMap(), map[string]any{}},
		{"64 levels", nestedList(64), nestedAny(64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromValue(tt.in, "value")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
	t.Run("NaN", func(t *testing.T) {
		got, err := FromValue(vDouble(math.NaN()), "value")
		if f, ok := got.(float64); err != nil || !ok || !math.IsNaN(f) {
			t.Fatalf("got %v, %v", got, err)
		}
	})
}

func TestValueErrors(t *testing.T) {
	tests := []struct {
		name string
		in   *Value
		kind ProtocolErrorKind
		path string
	}{
		{"no kind", &Value{}, KindInvalidValue, "v"},
		{"no kind in a list", vList(vInt(1), &Value{}), KindInvalidValue, "v[1]"},
		{"nil list item", vList(nil), KindInvalidValue, "v[0]"},
		{"no kind in a map", vMap("ok", vInt(1), "bad key", &Value{}), KindInvalidValue, `v["bad key"]`},
		{"duplicate key", vMap("a", vInt(1), "b", vInt(2), "a", vInt(3)), KindInvalidValue, "v.a"},
		{"duplicate key, sorted", vMap("a", vInt(1), "a", vInt(1)), KindInvalidValue, "v.a"},
		{"65 levels of lists", nestedList(65), KindValueTooDeep, "v" + strings.Repeat("[0]", 64)},
		{"65 levels of maps", nestedMap(65), KindValueTooDeep, "v" + strings.Repeat(".k", 64)},
	}
	for _, tt := range tests {
		for _, fn := range []struct {
			name string
			run  func(*Value) error
		}{
			{"ValidateValue", func(v *Value) error { return ValidateValue(v, "v") }},
			{"FromValue", func(v *Value) error { _, err := FromValue(v, "v"); return err }},
		} {
			t.Run(fn.name+"/"+tt.name, func(t *testing.T) {
				err := fn.run(tt.in)
				var pe *ProtocolError
				if !errors.As(err, &pe) {
					t.Fatalf("got %v, want a *ProtocolError", err)
				}
				if pe.Kind != tt.kind || pe.Path != tt.path {
					t.Fatalf("got %s at %q (%v), want %s at %q", pe.Kind, pe.Path, err, tt.kind, tt.path)
				}
			})
		}
	}
}

// The decoder's checks follow PROTOCOL.md §3.4's order: entries in wire order, a key's
// duplicate before its value, depth before kind.
func TestValidationOrder(t *testing.T) {
	tests := []struct {
		name string
		in   *Value
		kind ProtocolErrorKind
		path string
	}{
		{"duplicate before a later bad value", vMap("b", vInt(1), "a", vInt(1), "b", vInt(1), "c", &Value{}), KindInvalidValue, "v.b"},
		{"bad value before a later duplicate", vMap("b", vInt(1), "a", &Value{}, "b", vInt(1)), KindInvalidValue, "v.a"},
		{"depth before kind", wrapInLists(&Value{}, 64), KindValueTooDeep, "v" + strings.Repeat("[0]", 64)},
		{"first bad item wins", vList(vInt(1), vList(&Value{}), &Value{}), KindInvalidValue, "v[1][0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pe *ProtocolError
			if err := ValidateValue(tt.in, "v"); !errors.As(err, &pe) || pe.Kind != tt.kind || pe.Path != tt.path {
				t.Fatalf("got %v, want %s at %q", err, tt.kind, tt.path)
			}
		})
	}
	if err := ValidateValue(vMap("a", nil, "b", vNull()), "v"); err != nil {
		t.Errorf("an entry without a value is null and valid: %v", err)
	}
	if err := ValidateValue(nil, "v"); err != nil {
		t.Errorf("a nil Value is null and valid: %v", err)
	}
}

func TestValueRoundTrip(t *testing.T) {
	in := map[string]any{
		"int":    int64(-1 << 62),
		"float":  1.25,
		"bool":   false,
		"nil":    nil,
		"str":    "ünïcode \x00 zero",
		"bytes":  []byte{0, 255},
		"list":   []any{int64(1), []any{}, map[string]any{}},
		"nested": map[string]any{"x": map[string]any{"y": []any{"z"}}},
	}
	v, err := ToValue(in, "value")
	if err != nil {
		t.Fatal(err)
	}
	frames, err := decodeChunks(0, encodeFrames(t, resultFrame(1, v)))
	if err != nil {
		t.Fatal(err)
	}
	out, err := FromValue(frames[0].GetResult().GetValue(), "result.value")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("got %#v\nwant %#v", out, in)
	}
}
