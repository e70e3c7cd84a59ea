package polyproc

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// canonicalNaN is the one NaN written on the wire (PROTOCOL.md §9.3). Go's math.NaN() is
// 0x7FF8000000000001, so every NaN is rewritten to this before it is sent.
const canonicalNaN = 0x7FF8000000000000

const noKindMessage = "the Value has no kind set; set exactly one of null, bool, int, double, string, bytes, list or map"

// ValidateValue checks the rules of PROTOCOL.md §9 that protobuf cannot: every Value has
// a kind, no map has a key twice, no tree is deeper than MaxValueDepth. It returns a
// *ProtocolError of kind INVALID_VALUE or VALUE_TOO_DEEP whose Path starts at path. A nil
// Value is null and valid. FrameDecoder runs it on every Value it decodes.
func ValidateValue(v *Value, path string) error {
	if v == nil {
		return nil
	}
	var w walker
	if f := w.value(v, 1); f != nil {
		return f.error(path)
	}
	return nil
}

// frameValue returns the one Value a frame carries, if its kind carries one, and the path
// of that Value from the frame: Call.args, Result.value, Result.error.details,
// StreamItem.value, StreamEnd.error.details, Publish.value or Welcome.settings (§3.4 step 4).
func frameValue(f *Frame) (*Value, string) {
	switch k := f.GetKind().(type) {
	case *polyprocv1.Frame_Call:
		return k.Call.GetArgs(), "call.args"
	case *polyprocv1.Frame_Result:
		if v := k.Result.GetValue(); v != nil {
			return v, "result.value"
		}
		return k.Result.GetError().GetDetails(), "result.error.details"
	case *polyprocv1.Frame_StreamItem:
		return k.StreamItem.GetValue(), "streamItem.value"
	case *polyprocv1.Frame_StreamEnd:
		return k.StreamEnd.GetError().GetDetails(), "streamEnd.error.details"
	case *polyprocv1.Frame_Publish:
		return k.Publish.GetValue(), "publish.value"
	case *polyprocv1.Frame_Welcome:
		return k.Welcome.GetSettings(), "welcome.settings"
	}
	return nil, ""
}

// validateFrame validates the Value a frame carries (§3.4 step 4). With encoding set it
// also reports, by needsFix, whether the Value holds a NaN other than the canonical one
// or a map whose keys are out of order, which canonicalizeFrame then fixes in a copy.
func validateFrame(f *Frame, encoding bool) (needsFix bool, err error) {
	v, root := frameValue(f)
	if v == nil {
		return false, nil
	}
	w := walker{encoding: encoding}
	if flt := w.value(v, 1); flt != nil {
		return false, flt.error(root)
	}
	return w.needsFix, nil
}

// walker checks one Value tree. It allocates nothing for a valid tree whose maps are
// sorted, which is every tree an encoder of this protocol writes.
type walker struct {
	// encoding makes the walker note the things an encoder must canonicalise.
	encoding bool
	needsFix bool
}

// value checks v, which is at depth depth (1 for a root).
func (w *walker) value(v *Value, depth int) *fault {
	switch k := v.GetKind().(type) {
	case nil:
		return newFault(KindInvalidValue, noKindMessage)
	case *polyprocv1.Value_DoubleValue:
		if w.encoding && math.IsNaN(k.DoubleValue) && math.Float64bits(k.DoubleValue) != canonicalNaN {
			w.needsFix = true
		}
	case *polyprocv1.Value_ListValue:
		return w.list(k.ListValue.GetItems(), depth)
	case *polyprocv1.Value_MapValue:
		return w.mapEntries(k.MapValue.GetEntries(), depth)
	}
	return nil
}

func (w *walker) list(items []*Value, depth int) *fault {
	if len(items) == 0 {
		return nil
	}
	if depth >= MaxValueDepth {
		return tooDeep().atIndex(0)
	}
	for i, item := range items {
		if item == nil {
			return newFault(KindInvalidValue, "the list item is a nil *Value; use a null Value (ToValue(nil, ...))").atIndex(i)
		}
		if f := w.value(item, depth+1); f != nil {
			return f.atIndex(i)
		}
	}
	return nil
}

func (w *walker) mapEntries(entries []*polyprocv1.MapEntry, depth int) *fault {
	if len(entries) == 0 {
		return nil
	}
	if depth >= MaxValueDepth {
		return tooDeep().atKey(entries[0].GetKey())
	}
	// Entries are checked in wire order, each key for a duplicate before its value (§3.4).
	// While the keys increase strictly, none can repeat an earlier one, so a map written in
	// canonical order is checked without a set; the set is built at the first key out of
	// order.
	var seen map[string]struct{}
	for i, e := range entries {
		if e == nil {
			return newFault(KindInvalidValue, "map entry "+strconv.Itoa(i)+" is a nil *MapEntry; leave it out or give it a key")
		}
		key := e.GetKey()
		if seen == nil && i > 0 && entries[i-1].GetKey() >= key {
			seen = make(map[string]struct{}, len(entries))
			for _, prev := range entries[:i] {
				seen[prev.GetKey()] = struct{}{}
			}
			if w.encoding {
				w.needsFix = true
			}
		}
		if seen != nil {
			if _, dup := seen[key]; dup {
				return duplicateKeyFault(key)
			}
			seen[key] = struct{}{}
		}
		if e.GetValue() == nil {
			// An entry without a value holds null (§9.1), but encoders write null_value.
			if w.encoding {
				w.needsFix = true
			}
			continue
		}
		if f := w.value(e.GetValue(), depth+1); f != nil {
			return f.atKey(key)
		}
	}
	return nil
}

func duplicateKeyFault(key string) *fault {
	return newFault(KindInvalidValue, "the key appears twice in its map; each key of a map must appear once").atKey(key)
}

// canonicalizeFrame returns a copy of f whose Value has every NaN written as the canonical
// NaN, every map's entries sorted by key in byte order (= Unicode code point order) and
// every map entry without a value given null_value, as encoders must write them (§9.1,
// §9.3, §9.6). f itself is never modified: frames may be shared
// between goroutines.
func canonicalizeFrame(f *Frame) *Frame {
	c := cloneFrame(f)
	if v, _ := frameValue(c); v != nil {
		canonicalizeValue(v)
	}
	return c
}

func canonicalizeValue(v *Value) {
	switch k := v.GetKind().(type) {
	case *polyprocv1.Value_DoubleValue:
		if math.IsNaN(k.DoubleValue) {
			k.DoubleValue = math.Float64frombits(canonicalNaN)
		}
	case *polyprocv1.Value_ListValue:
		for _, item := range k.ListValue.GetItems() {
			canonicalizeValue(item)
		}
	case *polyprocv1.Value_MapValue:
		entries := k.MapValue.GetEntries()
		slices.SortFunc(entries, func(a, b *polyprocv1.MapEntry) int {
			return strings.Compare(a.GetKey(), b.GetKey())
		})
		for _, e := range entries {
			if e.GetValue() == nil {
				e.Value = new(Value)
				setNull(e.Value)
			} else {
				canonicalizeValue(e.GetValue())
			}
		}
	}
}
