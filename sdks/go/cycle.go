package polyproc

import (
	"reflect"
	"slices"
)

// A cycle (a container that contains itself) is INVALID_VALUE (PROTOCOL.md §9.8). Finding
// one on every encode would cost a set of the containers on the current path; instead the
// encoders let a cycle run into the depth limit, which every cycle through a list, map or
// struct does, and only then look for a container that repeats along the path of the
// VALUE_TOO_DEEP fault. Valid values pay nothing.

// containerID identifies a Go container that a value can reach again: a pointer, a map, or
// a slice (its array and length, as encoding/json does).
type containerID struct {
	typ reflect.Type
	ptr uintptr
	len int
}

// explainTooDeep turns a VALUE_TOO_DEEP fault of encoding v into an INVALID_VALUE cycle
// fault when a container repeats along its path, and returns it unchanged otherwise.
func explainTooDeep(v any, f *fault) *fault {
	if f.kind != KindValueTooDeep {
		return f
	}
	outer := slices.Clone(f.segments)
	slices.Reverse(outer)
	n, found := cycleAlong(reflect.ValueOf(v), outer)
	if !found {
		return f
	}
	cycle := newFault(KindInvalidValue, "the value contains itself (a cycle); break the cycle, for instance by sending an id in place of the repeated part")
	cycle.segments = slices.Clone(outer[:n])
	slices.Reverse(cycle.segments)
	return cycle
}

// cycleAlong follows path from rv and returns how many steps in a container first seen
// before is reached again.
func cycleAlong(rv reflect.Value, path []pathSegment) (int, bool) {
	seen := map[containerID]bool{}
	visit := func(id containerID) bool {
		if seen[id] {
			return true
		}
		seen[id] = true
		return false
	}
	for step := 0; ; step++ {
		for rv.IsValid() && (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) {
			if rv.IsNil() {
				return 0, false
			}
			if rv.Kind() == reflect.Pointer && visit(containerID{typ: rv.Type(), ptr: rv.Pointer()}) {
				return step, true
			}
			rv = rv.Elem()
		}
		if !rv.IsValid() {
			return 0, false
		}
		switch rv.Kind() {
		case reflect.Map, reflect.Slice:
			if !rv.IsNil() && visit(containerID{typ: rv.Type(), ptr: rv.Pointer(), len: rv.Len()}) {
				return step, true
			}
		}
		if step == len(path) {
			return 0, false
		}
		seg := path[step]
		switch rv.Kind() {
		case reflect.Map:
			if !seg.isKey || rv.Type().Key().Kind() != reflect.String {
				return 0, false
			}
			rv = rv.MapIndex(reflect.ValueOf(seg.key).Convert(rv.Type().Key()))
		case reflect.Slice, reflect.Array:
			if seg.isKey || seg.index >= rv.Len() {
				return 0, false
			}
			rv = rv.Index(seg.index)
		case reflect.Struct:
			field := fieldByName(fieldsOf(rv.Type()), seg.key)
			if !seg.isKey || field == nil {
				return 0, false
			}
			var ok bool
			if rv, ok = fieldByIndex(rv, field.index); !ok {
				return 0, false
			}
		default:
			return 0, false
		}
	}
}
