package polyproc

import (
	"slices"
	"strings"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// Storage for the lists and maps that ToValue builds. A container's members are allocated
// together with it (one slice of Values for a list; one block of entries and their Values
// for a map, the container's own messages included when it is small), so that a tree
// costs few allocations beyond the scalars' oneof wrappers.

// listKind is the oneof wrapper of a list together with its message.
type listKind struct {
	w polyprocv1.Value_ListValue
	l polyprocv1.ListValue
}

// newList makes dst a list of n items and returns them, empty Values to be set. The items
// are at depth+1, so a non-empty list at MaxValueDepth is too deep.
func newList(dst *Value, n, depth int) ([]*Value, *fault) {
	k := new(listKind)
	k.w.ListValue = &k.l
	dst.Kind = &k.w
	if n == 0 {
		return nil, nil
	}
	if depth >= MaxValueDepth {
		return nil, tooDeep().atIndex(0)
	}
	values := make([]Value, n)
	k.l.Items = make([]*Value, n)
	for i := range values {
		k.l.Items[i] = &values[i]
	}
	return k.l.Items, nil
}

// smallMapEntries is the size up to which a map is one allocation.
const smallMapEntries = 4

// A mapSlot is one entry of a map with its Value.
type mapSlot struct {
	e polyprocv1.MapEntry
	v Value
}

// mapKind is the oneof wrapper of a map together with its message.
type mapKind struct {
	w polyprocv1.Value_MapValue
	m polyprocv1.MapValue
}

// smallMap is a map of up to smallMapEntries entries in one block.
type smallMap struct {
	mapKind
	entries [smallMapEntries]*polyprocv1.MapEntry
	slots   [smallMapEntries]mapSlot
}

// newMap makes dst a map of n entries and returns them, each with an empty Value to be
// set and a key to be filled in. The caller fills in the keys, sorts the entries, checks
// the depth (mapTooDeep) and then sets the values.
func newMap(dst *Value, n int) []*polyprocv1.MapEntry {
	var k *mapKind
	var slots []mapSlot
	switch {
	case n == 0:
		k = new(mapKind)
	case n <= smallMapEntries:
		s := new(smallMap)
		k, slots = &s.mapKind, s.slots[:n]
		k.m.Entries = s.entries[:n]
	default:
		k, slots = new(mapKind), make([]mapSlot, n)
		k.m.Entries = make([]*polyprocv1.MapEntry, n)
	}
	k.w.MapValue = &k.m
	dst.Kind = &k.w
	for i := range slots {
		slots[i].e.Value = &slots[i].v
		k.m.Entries[i] = &slots[i].e
	}
	return k.m.Entries
}

// mapTooDeep is the fault of a map at depth whose sorted entries would be too deep: the
// values are at depth+1, so a non-empty map at MaxValueDepth is.
func mapTooDeep(entries []*polyprocv1.MapEntry, depth int) *fault {
	if len(entries) > 0 && depth >= MaxValueDepth {
		return tooDeep().atKey(entries[0].Key)
	}
	return nil
}

// sortEntries sorts map entries by key in byte order, which for UTF-8 is Unicode code
// point order (§9.6), and keeps values[i] with entries[i]. Small maps, the rule, get an
// insertion sort, which allocates nothing; larger ones slices.SortFunc.
func sortEntries[T any](entries []*polyprocv1.MapEntry, values []T) {
	if len(entries) <= 12 {
		for i := 1; i < len(entries); i++ {
			for j := i; j > 0 && entries[j].Key < entries[j-1].Key; j-- {
				entries[j], entries[j-1] = entries[j-1], entries[j]
				values[j], values[j-1] = values[j-1], values[j]
			}
		}
		return
	}
	type pair struct {
		e *polyprocv1.MapEntry
		v T
	}
	pairs := make([]pair, len(entries))
	for i := range entries {
		pairs[i] = pair{entries[i], values[i]}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.e.Key, b.e.Key) })
	for i, p := range pairs {
		entries[i], values[i] = p.e, p.v
	}
}
