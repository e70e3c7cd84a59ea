package polyproc

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

type Address struct {
	Street string `json:"street"`
	Zip    string `json:"zip,omitempty"`
}

type Audit struct {
	CreatedBy string `json:"createdBy"`
	Version   int    `json:"version"`
}

type Order struct {
	Audit                      // promoted: createdBy, version
	ID       uint64            `json:"id"`
	Customer string            `json:"customer"`
	Items    []Item            `json:"items"`
	Tags     map[string]string `json:"tags,omitempty"`
	Ship     *Address          `json:"ship,omitempty"`
	Payload  []byte            `json:"payload"`
	Note     string            `json:"-"`
	Plain    int               // no tag: named Plain
	Extra    any               `json:"extra"`
	Raw      *Value            `json:"raw,omitempty"`
	Weight   float32           `json:"weight,omitzero"`
	When     struct{ At int }  `json:"when,omitzero"`
	internal int
}

type Item struct {
	SKU   string  `json:"sku"`
	Price float64 `json:"price"`
	Qty   int8    `json:"qty"`
}

func TestEncodeStruct(t *testing.T) {
	order := Order{
		Audit:    Audit{CreatedBy: "ann", Version: 2},
		ID:       7,
		Customer: "bob",
		Items:    []Item{{SKU: "a", Price: 1.5, Qty: 2}},
		Payload:  []byte{1},
		Note:     "left out",
		Plain:    3,
		Raw:      vString("raw"),
		internal: 9,
	}
	got, err := Encode(order)
	if err != nil {
		t.Fatal(err)
	}
	want := vMap(
		"Plain", vInt(3),
		"createdBy", vString("ann"),
		"customer", vString("bob"),
		"extra", vNull(),
		"id", vInt(7),
		"items", vList(vMap("price", vDouble(1.5), "qty", vInt(2), "sku", vString("a"))),
		"payload", vBytes([]byte{1}),
		"raw", vString("raw"),
		"version", vInt(2),
	)
	if !bytes.Equal(valueBytes(t, got), valueBytes(t, want)) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
}

func TestTypedRoundTrip(t *testing.T) {
	order := Order{
		Audit:    Audit{CreatedBy: "ann", Version: 2},
		ID:       math.MaxInt64,
		Customer: "bob",
		Items:    []Item{{SKU: "a", Price: 1.5, Qty: -2}, {SKU: "b"}},
		Tags:     map[string]string{"x": "y"},
		Ship:     &Address{Street: "Main"},
		Payload:  []byte{},
		Plain:    3,
		Extra:    map[string]any{"n": int64(1)},
		Weight:   2.5,
		When:     struct{ At int }{At: 4},
	}
	v, err := Encode(order)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode[Order](v)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, order) {
		t.Fatalf("got  %+v\nwant %+v", got, order)
	}
}

func TestDecode(t *testing.T) {
	type Small struct {
		A int  `json:"a"`
		B *int `json:"b"`
	}
	two := 2
	tests := []struct {
		name string
		in   *Value
		run  func(*Value) (any, error)
		want any
	}{
		{"int", vInt(5), decodeAs[int], 5},
		{"int8 at its max", vInt(127), decodeAs[int8], int8(127)},
		{"uint16", vInt(65535), decodeAs[uint16], uint16(65535)},
		{"integral double into int", vDouble(2), decodeAs[int], 2},
		{"-0.0 into int", vDouble(math.Copysign(0, -1)), decodeAs[int64], int64(0)},
		{"int into float64", vInt(3), decodeAs[float64], 3.0},
		{"int beyond 2^53 into float64, rounded", vInt(1<<53 + 1), decodeAs[float64], float64(1 << 53)},
		{"int into float32", vInt(3), decodeAs[float32], float32(3)},
		{"double into float32", vDouble(0.5), decodeAs[float32], float32(0.5)},
		{"infinity into float32", vDouble(math.Inf(-1)), decodeAs[float32], float32(math.Inf(-1))},
		{"string", vString("s"), decodeAs[string], "s"},
		{"named string", vString("n"), decodeAs[userName], userName("n")},
		{"bytes", vBytes([]byte{1}), decodeAs[[]byte], []byte{1}},
		{"empty bytes are not nil", vBytes(nil), decodeAs[[]byte], []byte{}},
		{"named bytes", vBytes([]byte{2}), decodeAs[blob], blob{2}},
		{"bool", vBool(true), decodeAs[bool], true},
		{"list into slice", vList(vInt(1), vInt(2)), decodeAs[[]int], []int{1, 2}},
		{"list into array", vList(vString("a"), vString("b")), decodeAs[[2]string], [2]string{"a", "b"}},
		{"map into map", vMap("a", vInt(1)), decodeAs[map[string]int], map[string]int{"a": 1}},
		{"map into named-key map", vMap("a", vInt(1)), decodeAs[map[keyName]int], map[keyName]int{"a": 1}},
		{"map into struct, unknown keys ignored", vMap("a", vInt(1), "b", vInt(2), "zzz", vString("?")), decodeAs[Small], Small{A: 1, B: &two}},
		{"null into struct", vNull(), decodeAs[Small], Small{}},
		{"nil Value into int", nil, decodeAs[int], 0},
		{"null into pointer", vNull(), decodeAs[*int], (*int)(nil)},
		{"int into pointer", vInt(2), decodeAs[*int], &two},
		{"absent entry into pointer field", vMap("a", vInt(1), "b", nil), decodeAs[Small], Small{A: 1}},
		{"anything into any", vList(vInt(1), vMap("k", vBool(true))), decodeAs[any], []any{int64(1), map[string]any{"k": true}}},
		{"null into any", vNull(), decodeAs[any], nil},
		{"nested into []any", vList(vString("x")), decodeAs[[]any], []any{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
	t.Run("*Value receives the Value", func(t *testing.T) {
		v := vList(vInt(1))
		got, err := Decode[*Value](v)
		if err != nil || got != v {
			t.Fatalf("got %v, %v", got, err)
		}
	})
}

func decodeAs[T any](v *Value) (any, error) {
	return Decode[T](v)
}

func TestDecodeErrors(t *testing.T) {
	type Inner struct {
		Qty int8 `json:"qty"`
	}
	type Outer struct {
		Items []Inner `json:"items"`
	}
	tests := []struct {
		name    string
		in      *Value
		run     func(*Value) (any, error)
		path    string
		message string
	}{
		{"string into int", vString("1"), decodeAs[int], "value", "got a string, which does not fit a int"},
		{"int out of range", vInt(128), decodeAs[int8], "value", "128 is out of range for a int8"},
		{"negative into uint", vInt(-1), decodeAs[uint], "value", "negative integer -1"},
		{"fraction into int", vDouble(1.5), decodeAs[int], "value", "not an integer"},
		{"NaN into int", vDouble(math.NaN()), decodeAs[int], "value", "not an integer"},
		{"infinity into int", vDouble(math.Inf(1)), decodeAs[int64], "value", "not an integer"},
		{"2^63 into int64", vDouble(1 << 63), decodeAs[int64], "value", "not an integer in the int64 range"},
		{"negative double into uint", vDouble(-1), decodeAs[uint8], "value", "non-negative"},
		{"too large for float32", vDouble(1e300), decodeAs[float32], "value", "out of range for a float32"},
		{"bytes into string", vBytes(nil), decodeAs[string], "value", "got bytes"},
		{"string into []byte", vString("x"), decodeAs[[]byte], "value", "got a string"},
		{"list into map", vList(), decodeAs[map[string]int], "value", "got a list"},
		{"map into slice", vMap(), decodeAs[[]int], "value", "got a map"},
		{"array length", vList(vInt(1)), decodeAs[[2]int], "value", "list of 1 items for a [2]int"},
		{"int keys", vMap(), decodeAs[map[int]int], "value", "map keys must be strings"},
		{"non-empty interface", vInt(1), decodeAs[error], "value", "interface type error"},
		{"channel", vInt(1), decodeAs[chan int], "value", "cannot decode into a chan int"},
		{"no kind", &Value{}, decodeAs[int], "value", "no kind"},
		{"path into a struct", vMap("items", vList(vMap("qty", vInt(1)), vMap("qty", vInt(300)))), decodeAs[Outer], "value.items[1].qty", "300 is out of range"},
		{"duplicate key into struct", vMap("qty", vInt(1), "qty", vInt(2)), decodeAs[Inner], "value.qty", "appears twice"},
		{"duplicate key into map", vMap("k", vInt(1), "k", vInt(2)), decodeAs[map[string]int], "value.k", "appears twice"},
		{"too deep", nestedList(65), decodeAs[any], "value" + strings.Repeat("[0]", 64), "deeper than 64"},
		{"too deep, typed", nestedList(65), decodeAs[[][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][]any], "value" + strings.Repeat("[0]", 64), "deeper than 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.run(tt.in)
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ProtocolError", err)
			}
			if pe.Kind != KindInvalidValue && pe.Kind != KindValueTooDeep || pe.Path != tt.path || !strings.Contains(pe.Message, tt.message) {
				t.Fatalf("got %s at %q: %q\nwant the path %q and a message containing %q", pe.Kind, pe.Path, pe.Message, tt.path, tt.message)
			}
		})
	}
}

func TestStructFieldRules(t *testing.T) {
	type Base struct {
		Name  string `json:"name"`
		Level int
	}
	type Other struct {
		Level int
	}
	type tagged struct {
		Level int `json:"Level"`
	}
	type Mixed struct {
		Base          // promoted: name; Level conflicts with Other.Level at the same depth: dropped
		Other         //
		Name   string // shallower than Base.name, but a different name ("Name")
		*Audit        // promoted through a pointer
	}
	type Tagged struct {
		Other  // Level, untagged
		tagged // Level, tagged: wins
	}
	tests := []struct {
		name string
		in   any
		want *Value
	}{
		{"ambiguous fields are dropped", Mixed{Base: Base{Name: "b", Level: 1}, Other: Other{Level: 2}, Name: "top"},
			vMap("Name", vString("top"), "name", vString("b"))},
		{"promoted through a pointer", Mixed{Audit: &Audit{CreatedBy: "x"}},
			vMap("Name", vString(""), "createdBy", vString("x"), "name", vString(""), "version", vInt(0))},
		{"the tagged field wins", Tagged{Other: Other{Level: 1}, tagged: tagged{Level: 2}}, vMap("Level", vInt(2))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToValue(tt.in, "v")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(valueBytes(t, got), valueBytes(t, tt.want)) {
				t.Fatalf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
	t.Run("decode allocates embedded pointers", func(t *testing.T) {
		got, err := Decode[Mixed](vMap("createdBy", vString("y"), "name", vString("n")))
		if err != nil {
			t.Fatal(err)
		}
		if got.Audit == nil || got.CreatedBy != "y" || got.Base.Name != "n" {
			t.Fatalf("got %+v", got)
		}
	})
}

func TestEncodeRefusesSelfMarshalers(t *testing.T) {
	type WithTime struct {
		At time.Time `json:"at"`
	}
	_, err := Encode(WithTime{At: time.Now()})
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Kind != KindInvalidValue || pe.Path != "value.at" || !strings.Contains(pe.Message, "time.Time") {
		t.Fatalf("got %v", err)
	}
}

func TestOmitEmpty(t *testing.T) {
	type All struct {
		B  bool           `json:"b,omitempty"`
		I  int            `json:"i,omitempty"`
		U  uint           `json:"u,omitempty"`
		F  float64        `json:"f,omitempty"`
		S  string         `json:"s,omitempty"`
		L  []int          `json:"l,omitempty"`
		M  map[string]int `json:"m,omitempty"`
		P  *int           `json:"p,omitempty"`
		A  any            `json:"a,omitempty"`
		Z  [0]int         `json:"z,omitempty"`
		St struct{}       `json:"st,omitempty"` // omitempty never drops a struct
		Zr struct{}       `json:"zr,omitzero"`  // omitzero does
	}
	got, err := Encode(All{L: []int{}, M: map[string]int{}})
	if err != nil {
		t.Fatal(err)
	}
	if want := vMap("st", vMap()); !bytes.Equal(valueBytes(t, got), valueBytes(t, want)) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
