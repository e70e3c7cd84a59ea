package polyproc

import (
	"math"
	"reflect"
	"strconv"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// Typed decoding of numbers (PROTOCOL.md §9.2, §9.3.4): ints fill every integer kind in
// range and every float kind; doubles fill float kinds, and integer kinds when integral and
// in range, since JavaScript and Python may send 2.0 for 2.

func outOfRange(what string, t reflect.Type) *fault {
	return newFault(KindInvalidValue, what+" is out of range for a "+t.String()+"; use a wider type")
}

func decodeInt(v *Value, rv reflect.Value) *fault {
	var n int64
	switch k := v.Kind.(type) {
	case *polyprocv1.Value_IntValue:
		n = k.IntValue
	case *polyprocv1.Value_DoubleValue:
		d := k.DoubleValue
		if d != math.Trunc(d) || d < -(1<<63) || d >= 1<<63 {
			return newFault(KindInvalidValue, "the double "+strconv.FormatFloat(d, 'g', -1, 64)+
				" is not an integer in the int64 range, so it does not fit a "+rv.Type().String()+"; decode into a float64")
		}
		n = int64(d)
	default:
		return mismatch(v, rv.Type())
	}
	if rv.OverflowInt(n) {
		return outOfRange("the integer "+strconv.FormatInt(n, 10), rv.Type())
	}
	rv.SetInt(n)
	return nil
}

func decodeUint(v *Value, rv reflect.Value) *fault {
	var n uint64
	switch k := v.Kind.(type) {
	case *polyprocv1.Value_IntValue:
		if k.IntValue < 0 {
			return outOfRange("the negative integer "+strconv.FormatInt(k.IntValue, 10), rv.Type())
		}
		n = uint64(k.IntValue)
	case *polyprocv1.Value_DoubleValue:
		d := k.DoubleValue
		if d != math.Trunc(d) || d < 0 || d >= 1<<64 {
			return newFault(KindInvalidValue, "the double "+strconv.FormatFloat(d, 'g', -1, 64)+
				" is not a non-negative integer in the uint64 range, so it does not fit a "+rv.Type().String()+"; decode into a float64")
		}
		n = uint64(d)
	default:
		return mismatch(v, rv.Type())
	}
	if rv.OverflowUint(n) {
		return outOfRange("the integer "+strconv.FormatUint(n, 10), rv.Type())
	}
	rv.SetUint(n)
	return nil
}

func decodeFloat(v *Value, rv reflect.Value) *fault {
	var d float64
	switch k := v.Kind.(type) {
	case *polyprocv1.Value_DoubleValue:
		d = k.DoubleValue
	case *polyprocv1.Value_IntValue:
		// JavaScript sends 2.0 as the int 2, so every int fills a float (rounded if needed).
		d = float64(k.IntValue)
	default:
		return mismatch(v, rv.Type())
	}
	if !math.IsInf(d, 0) && !math.IsNaN(d) && rv.OverflowFloat(d) {
		return outOfRange("the double "+strconv.FormatFloat(d, 'g', -1, 64), rv.Type())
	}
	rv.SetFloat(d)
	return nil
}
