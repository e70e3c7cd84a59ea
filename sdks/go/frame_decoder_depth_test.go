package polyproc

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"
)

// Depth: hostile nesting, 64 levels in lists and maps, every Value field validated (§3.4, §9.4).

func buildDeepFrame(depth int) []byte {
	// sizes[i] is the size of the Value at nesting level i counted from the inside.
	sizes := make([]int, depth)
	sizes[0] = 2 // Value{null_value: Null{}}: tag 0x0a, length 0
	for i := 1; i < depth; i++ {
		list := 1 + protowire.SizeVarint(uint64(sizes[i-1])) + sizes[i-1] // ListValue{items: [inner]}
		sizes[i] = 1 + protowire.SizeVarint(uint64(list)) + list          // Value{list_value: list}
	}
	args := sizes[depth-1]
	call := 2 + 1 + protowire.SizeVarint(uint64(args)) + args // id = 1, args
	body := 1 + protowire.SizeVarint(uint64(call)) + call
	out := binary.BigEndian.AppendUint32(make([]byte, 0, 4+body), uint32(body))
	out = protowire.AppendVarint(append(out, 0x0a), uint64(call)) // Frame.call
	out = append(out, 0x08, 0x01)                                 // Call.id = 1
	out = protowire.AppendVarint(append(out, 0x22), uint64(args)) // Call.args
	for i := depth - 1; i >= 1; i-- {
		inner := sizes[i-1]
		listSize := 1 + protowire.SizeVarint(uint64(inner)) + inner
		out = protowire.AppendVarint(append(out, 0x3a), uint64(listSize)) // Value.list_value
		out = protowire.AppendVarint(append(out, 0x0a), uint64(inner))    // ListValue.items
	}
	return append(out, 0x0a, 0x00) // Value.null_value
}

func TestHostileDepth(t *testing.T) {
	tests := []struct {
		name     string
		depth    int
		want     ProtocolErrorKind
		inParser bool // the protobuf parser's recursion limit fails first: no path
	}{
		{"64 levels decode", 64, "", false},
		{"65 levels are too deep", 65, KindValueTooDeep, false},
		{"90 levels fail in validation", 90, KindValueTooDeep, false},
		{"100 levels fail in the parser", 100, KindValueTooDeep, true},
		{"100000 levels fail in the parser", 100_000, KindValueTooDeep, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := buildDeepFrame(tt.depth)
			frames, err := decodeChunks(0, data)
			if got := kindOf(t, err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
			if err == nil {
				if len(frames) != 1 || !proto.Equal(frames[0], callFrame(1, "", nestedList(tt.depth))) {
					t.Fatalf("decoded %d frames, not the 64-deep Call", len(frames))
				}
				return
			}
			var pe *ProtocolError
			errors.As(err, &pe)
			if inParser := pe.Path == ""; inParser != tt.inParser {
				t.Errorf("error %v: from the parser %v, want %v", err, inParser, tt.inParser)
			}
		})
	}
}

func wrapInLists(v *Value, times int) *Value {
	for range times {
		v = vList(v)
	}
	return v
}

func TestDepth64InListsAndMaps(t *testing.T) {
	tests := []struct {
		name  string
		value *Value
		want  ProtocolErrorKind
		path  string
	}{
		{"list 64", nestedList(64), "", ""},
		{"map 64", nestedMap(64), "", ""},
		{"list 65", nestedList(65), KindValueTooDeep, "result.error.details" + strings.Repeat("[0]", 64)},
		{"map 65", nestedMap(65), KindValueTooDeep, "result.error.details" + strings.Repeat(".k", 64)},
		{"empty list at 64", wrapInLists(vList(), 63), "", ""},
		{"empty map at 65", wrapInLists(vMap(), 64), KindValueTooDeep, "result.error.details" + strings.Repeat("[0]", 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Error details are the deepest place a Value sits in a frame (§3.4).
			frame := &Frame{Kind: &polyprocv1.Frame_Result{Result: &polyprocv1.Result{Id: 1,
				Outcome: &polyprocv1.Result_Error{Error: &polyprocv1.Error{Code: polyprocv1.Code_CODE_INTERNAL, Details: tt.value}}}}}
			frames, err := decodeChunks(0, encodeRaw(t, frame))
			if got := kindOf(t, err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
			if err != nil {
				var pe *ProtocolError
				errors.As(err, &pe)
				if pe.Path != tt.path {
					t.Errorf("path %q, want %q", pe.Path, tt.path)
				}
				return
			}
			if !proto.Equal(frames[0], frame) {
				t.Error("decoded frame differs")
			}
		})
	}
}

// Every Value field a frame can carry is validated: the test finds them in the schema, so
// that a Value field added to the protos without a check in frameValue fails here.
func TestEveryValueFieldIsValidated(t *testing.T) {
	valueName := new(Value).ProtoReflect().Descriptor().FullName()
	var paths [][]protoreflect.FieldDescriptor
	var walk func(md protoreflect.MessageDescriptor, path []protoreflect.FieldDescriptor)
	walk = func(md protoreflect.MessageDescriptor, path []protoreflect.FieldDescriptor) {
		for i := range md.Fields().Len() {
			fd := md.Fields().Get(i)
			if fd.Message() == nil || fd.IsList() || fd.IsMap() {
				continue
			}
			next := append(slices.Clip(path), fd)
			if fd.Message().FullName() == valueName {
				paths = append(paths, next)
			} else {
				walk(fd.Message(), next)
			}
		}
	}
	walk(new(Frame).ProtoReflect().Descriptor(), nil)
	if len(paths) < 7 {
		t.Fatalf("found only %d Value fields in Frame", len(paths))
	}
	for _, path := range paths {
		var names []string
		for _, fd := range path {
			names = append(names, string(fd.Name()))
		}
		t.Run(strings.Join(names, "."), func(t *testing.T) {
			f := new(Frame)
			m := f.ProtoReflect()
			for _, fd := range path[:len(path)-1] {
				m = m.Mutable(fd).Message()
			}
			m.Set(path[len(path)-1], protoreflect.ValueOfMessage(vList(&Value{}).ProtoReflect()))
			_, err := DecodeFrameBody(encodeRaw(t, f)[FrameHeaderBytes:])
			var pe *ProtocolError
			if !errors.As(err, &pe) || pe.Kind != KindInvalidValue || !strings.HasSuffix(pe.Path, "[0]") {
				t.Fatalf("a Value with no kind in %s was not reported: %v", strings.Join(names, "."), err)
			}
		})
	}
}

// polyproc uses no groups; deeply nested unknown groups may be rejected as MALFORMED_FRAME
// or VALUE_TOO_DEEP, and must not crash the decoder (PROTOCOL.md §3.4, note on groups).
func TestDeeplyNestedUnknownGroups(t *testing.T) {
	var body []byte
	for range 100_000 {
		body = protowire.AppendTag(body, 100, protowire.StartGroupType)
	}
	for range 100_000 {
		body = protowire.AppendTag(body, 100, protowire.EndGroupType)
	}
	_, err := decodeChunks(0, binary.BigEndian.AppendUint32(nil, uint32(len(body))), body)
	if kind := kindOf(t, err); kind != KindMalformedFrame && kind != KindValueTooDeep {
		t.Fatalf("got %v, want MALFORMED_FRAME or VALUE_TOO_DEEP", err)
	}
}
