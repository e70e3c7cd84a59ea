package polyproc

import (
	"reflect"
	"slices"
	"strings"
	"sync"
)

// A structField is one member of a struct's map form.
type structField struct {
	// name is the map key: the json tag's name, or the Go field name.
	name string
	// index leads from the struct to the field through embedded structs.
	index     []int
	omitEmpty bool
	omitZero  bool
	// tagged says the name came from a json tag, which wins a conflict (encoding/json).
	tagged bool
}

var structFieldsCache sync.Map // reflect.Type -> []structField

// fieldsOf returns the fields of struct type t, named and chosen as encoding/json does,
// sorted by name in byte order. The result is cached per type.
func fieldsOf(t reflect.Type) []structField {
	if cached, ok := structFieldsCache.Load(t); ok {
		return cached.([]structField)
	}
	fields, _ := structFieldsCache.LoadOrStore(t, typeFields(t))
	return fields.([]structField)
}

// fieldByName returns the field named name, fields sorted by name.
func fieldByName(fields []structField, name string) *structField {
	i, found := slices.BinarySearchFunc(fields, name, func(f structField, name string) int {
		return strings.Compare(f.name, name)
	})
	if !found {
		return nil
	}
	return &fields[i]
}

// typeFields follows encoding/json's rules: exported fields, named by their json tag
// (`json:"name,omitempty"`, `json:"-"` to leave out); the fields of an embedded struct
// without a tag are promoted; when several fields get one name, the least deeply
// embedded wins, a tagged one among equals, and if that leaves more than one, none.
func typeFields(t reflect.Type) []structField {
	type queued struct {
		typ   reflect.Type
		index []int
	}
	var all []structField
	visited := map[reflect.Type]bool{}
	for level := []queued{{typ: t}}; len(level) > 0; {
		var next []queued
		for _, q := range level {
			if visited[q.typ] {
				continue
			}
			visited[q.typ] = true
			for i := range q.typ.NumField() {
				sf := q.typ.Field(i)
				ft := sf.Type
				if sf.Anonymous && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.IsExported() && !(sf.Anonymous && ft.Kind() == reflect.Struct) {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				index := append(slices.Clip(q.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, queued{typ: ft, index: index})
					continue
				}
				if !sf.IsExported() {
					continue
				}
				f := structField{name: name, index: index, tagged: name != ""}
				if name == "" {
					f.name = sf.Name
				}
				for opt := range strings.SplitSeq(opts, ",") {
					f.omitEmpty = f.omitEmpty || opt == "omitempty"
					f.omitZero = f.omitZero || opt == "omitzero"
				}
				all = append(all, f)
			}
		}
		level = next
	}
	return dominantFields(all)
}

// dominantFields keeps, for every name, the field encoding/json would keep, and sorts the
// result by name.
func dominantFields(all []structField) []structField {
	slices.SortStableFunc(all, func(a, b structField) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := len(a.index) - len(b.index); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return 0
	})
	out := all[:0]
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].name == all[i].name {
			j++
		}
		first := all[i]
		ambiguous := j > i+1 && len(all[i+1].index) == len(first.index) && all[i+1].tagged == first.tagged
		if !ambiguous {
			out = append(out, first)
		}
		i = j
	}
	return slices.Clip(out)
}
