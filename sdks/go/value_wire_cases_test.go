package polyproc

import (
	"bytes"
	"fmt"
	"math"
	"strings"
)

// The native values that the direct-path tests of value_wire_test.go write both ways.

type wireID int64

type wireInner struct {
	X int     `json:"x"`
	Y *string `json:"y,omitempty"`
}

type wireStruct struct {
	Name  string         `json:"name"`
	Tags  []string       `json:"tags"`
	Inner *wireInner     `json:"inner"`
	Skip  int            `json:"-"`
	Extra map[string]any `json:"extra,omitempty"`
	Raw   *Value         `json:"raw,omitempty"`
}

type wireNode struct {
	Next *wireNode `json:"next"`
}

// nestedNative is a []any (or map[string]any under "k") nested depth levels around nil.
func nestedNative(depth int, asMap bool) any {
	var v any
	for range depth - 1 {
		if asMap {
			v = map[string]any{"k": v}
		} else {
			v = []any{v}
		}
	}
	return v
}

func wireValues() []struct {
	name string
	v    any
} {
	s := "why"
	negNaN := math.Float64frombits(0xFFF0000000000123)
	manyKeys := map[string]any{}
	for i := range 40 {
		manyKeys[fmt.Sprintf("k%03d", (i*17)%40)] = i
	}
	long := strings.Repeat("é", 100)
	selfList := []any{1}
	return []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"true", true},
		{"false", false},
		{"int 0", 0},
		{"int -1", -1},
		{"int max", math.MaxInt64},
		{"int min", math.MinInt64},
		{"int8", int8(-128)},
		{"int16", int16(32767)},
		{"int32", int32(math.MinInt32)},
		{"int64", int64(1 << 40)},
		{"uint", uint(7)},
		{"uint8", uint8(255)},
		{"uint16", uint16(65535)},
		{"uint32", uint32(math.MaxUint32)},
		{"uint64 max int64", uint64(math.MaxInt64)},
		{"uintptr", uintptr(9)},
		{"named int", wireID(-5)},
		{"float 0", 0.0},
		{"float -0", math.Copysign(0, -1)},
		{"float 1.5", 1.5},
		{"float +Inf", math.Inf(1)},
		{"float -Inf", math.Inf(-1)},
		{"float NaN", math.NaN()},
		{"float negative NaN payload", negNaN},
		{"float subnormal", math.SmallestNonzeroFloat64},
		{"float max", math.MaxFloat64},
		{"float32", float32(0.1)},
		{"float32 NaN", float32(math.NaN())},
		{"string empty", ""},
		{"string", "hello"},
		{"string NUL", "a\x00b"},
		{"string long", long},
		{"string astral", "😀"},
		{"bytes nil", []byte(nil)},
		{"bytes empty", []byte{}},
		{"bytes", []byte{0, 1, 0xff}},
		{"bytes 64k", bytes.Repeat([]byte{0xab}, 64*1024)},
		{"list nil", []any(nil)},
		{"list empty", []any{}},
		{"list mixed", []any{nil, true, 1, 2.5, "s", []byte("b"), []any{}, map[string]any{}}},
		{"list of nulls", []any{nil, nil}},
		{"map nil", map[string]any(nil)},
		{"map empty", map[string]any{}},
		{"map small", map[string]any{"b": 2, "a": 1, "op": "sum"}},
		{"map empty key", map[string]any{"": 1, "a": nil}},
		{"map key order", map[string]any{"\uffff": 1, "\U00010000": 2, "\ue000": 3, "z": 4, "Z": 5, "é": 6}},
		{"map many keys", manyKeys},
		{"map nested", map[string]any{"items": []any{map[string]any{"price": 1.25, "qty": 2}}, "meta": map[string]any{"x": nil}}},
		{"map long string value", map[string]any{"s": long, "big": bytes.Repeat([]byte{1}, 300)}},
		{"list depth 64", nestedNative(64, false)},
		{"map depth 64", nestedNative(64, true)},
		{"typed slice", []int{1, 2, 3}},
		{"string slice", []string{"a", "b"}},
		{"nil typed slice", []int(nil)},
		{"array", [3]float64{1, math.NaN(), 3}},
		{"typed map", map[string]int{"b": 2, "a": 1}},
		{"map of string", map[string]string{"x": "y"}},
		{"named string key map", map[wireKey]any{"k": 1}},
		{"nil typed map", map[string]int(nil)},
		{"pointer", &s},
		{"nil pointer", (*int)(nil)},
		{"pointer to pointer", func() any { p := &s; return &p }()},
		{"struct", wireStruct{Name: "n", Tags: []string{"t"}, Inner: &wireInner{X: 1, Y: &s}, Skip: 3}},
		{"struct pointer", &wireStruct{Name: "n", Extra: map[string]any{"e": []any{1}}}},
		{"struct in map", map[string]any{"s": wireInner{X: 2}, "n": 1}},
		{"struct with *Value", wireStruct{Raw: vMap("b", vNull(), "a", vDouble(math.NaN()))}},
		{"*Value", vList(vInt(1), vString("x"))},
		{"nil *Value", (*Value)(nil)},
		{"*Value in map", map[string]any{"v": vMap("z", vInt(1), "a", nil)}},
		{"*Value in list", []any{vDouble(math.NaN()), vNull()}},
		{"list repeated not cycle", []any{selfList, selfList}},
		{"interface list in list", []any{[]any{[]any{1}}, map[string]any{"a": []any{}}}},
	}
}

type wireKey string

func wireErrorValues() []struct {
	name string
	v    any
} {
	cycleMap := map[string]any{}
	cycleMap["self"] = cycleMap
	cycleList := []any{0}
	cycleList[0] = cycleList
	node := &wireNode{}
	node.Next = node
	deepInMap := map[string]any{"a": 1, "deep": nestedNative(64, false)}
	return []struct {
		name string
		v    any
	}{
		{"uint64 over", uint64(math.MaxUint64)},
		{"uint over in list", []any{1, uint(math.MaxUint64)}},
		{"invalid UTF-8", "a\xffb"},
		{"invalid UTF-8 in map", map[string]any{"not an id": []any{"ok", "\xc3"}}},
		{"invalid key", map[string]any{"\xff": 1}},
		{"invalid key after value error", map[string]any{"a": "\xff", "\xff": 1}},
		{"channel", make(chan int)},
		{"func in list", []any{func() {}}},
		{"complex", complex(1, 2)},
		{"int map key", map[int]string{1: "a"}},
		{"list depth 65", nestedNative(65, false)},
		{"map depth 65", nestedNative(65, true)},
		{"depth 65 under a key", deepInMap},
		{"cycle map", cycleMap},
		{"cycle list", cycleList},
		{"cycle pointer", node},
		{"cycle in list", []any{1, cycleMap}},
		{"*Value no kind", &Value{}},
		{"*Value no kind in map", map[string]any{"x y": &Value{}}},
		{"*Value bad list item", []any{1, vList(vInt(1), &Value{})}},
		{"*Value duplicate key", map[string]any{"m": vMap("b", vNull(), "a", vNull(), "b", vNull())}},
		{"*Value too deep", []any{nestedList(64)}},
		{"json marshaler", map[string]any{"t": jsonThing{}}},
	}
}

type jsonThing struct{}

func (jsonThing) MarshalJSON() ([]byte, error) { return []byte("{}"), nil }
