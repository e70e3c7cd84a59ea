package polyproc

import "github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"

// FromValue maps a Value to Go (PROTOCOL.md §9): null (or a nil *Value) → nil, bool →
// bool, int → int64, double → float64, string → string, bytes → []byte (sharing the
// Value's memory), list → []any, map → map[string]any. A Value with no kind or a map key
// twice is INVALID_VALUE and a tree deeper than MaxValueDepth is VALUE_TOO_DEEP, as
// *ProtocolError whose Path starts at path. Use Decode to map into a type of your own.
func FromValue(v *Value, path string) (any, error) {
	x, f := fromValue(v, 1)
	if f != nil {
		return nil, f.error(path)
	}
	return x, nil
}

func fromValue(v *Value, depth int) (any, *fault) {
	if v == nil {
		return nil, nil
	}
	switch k := v.Kind.(type) {
	case *polyprocv1.Value_NullValue:
		return nil, nil
	case *polyprocv1.Value_BoolValue:
		return k.BoolValue, nil
	case *polyprocv1.Value_IntValue:
		return k.IntValue, nil
	case *polyprocv1.Value_DoubleValue:
		return k.DoubleValue, nil
	case *polyprocv1.Value_StringValue:
		return k.StringValue, nil
	case *polyprocv1.Value_BytesValue:
		if k.BytesValue == nil {
			return []byte{}, nil
		}
		return k.BytesValue, nil
	case *polyprocv1.Value_ListValue:
		items := k.ListValue.GetItems()
		out := make([]any, len(items))
		if len(items) > 0 && depth >= MaxValueDepth {
			return nil, tooDeep().atIndex(0)
		}
		for i, item := range items {
			if item == nil {
				return nil, newFault(KindInvalidValue, noKindMessage).atIndex(i)
			}
			x, f := fromValue(item, depth+1)
			if f != nil {
				return nil, f.atIndex(i)
			}
			out[i] = x
		}
		return out, nil
	case *polyprocv1.Value_MapValue:
		return fromMap(k.MapValue.GetEntries(), depth)
	}
	return nil, newFault(KindInvalidValue, noKindMessage)
}

func fromMap(entries []*polyprocv1.MapEntry, depth int) (any, *fault) {
	out := make(map[string]any, len(entries))
	if len(entries) > 0 && depth >= MaxValueDepth {
		return nil, tooDeep().atKey(entries[0].GetKey())
	}
	for _, e := range entries {
		x, f := fromValue(e.GetValue(), depth+1)
		if f != nil {
			return nil, f.atKey(e.GetKey())
		}
		out[e.GetKey()] = x
	}
	if len(out) != len(entries) {
		if key, dup := duplicateKey(entries); dup {
			return nil, duplicateKeyFault(key)
		}
	}
	return out, nil
}

// duplicateKey returns a key that appears twice among entries, if one does.
func duplicateKey(entries []*polyprocv1.MapEntry) (string, bool) {
	seen := make(map[string]struct{}, len(entries))
	for _, e := range entries {
		if _, dup := seen[e.GetKey()]; dup {
			return e.GetKey(), true
		}
		seen[e.GetKey()] = struct{}{}
	}
	return "", false
}
