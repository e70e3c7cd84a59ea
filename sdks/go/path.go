package polyproc

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A pathSegment is one step from a value to a member: a map key or a list index.
type pathSegment struct {
	key   string
	index int
	isKey bool
}

// joinPath names the place reached from root through segments (outermost first), as every
// SDK writes it (PROTOCOL.md §9.8): `args.items[3].price`, `args["not an identifier"]`.
func joinPath(root string, segments []pathSegment) string {
	var b strings.Builder
	b.WriteString(root)
	for _, s := range segments {
		if s.isKey {
			writeKey(&b, s.key)
		} else {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// writeKey writes `.key` for an identifier ([A-Za-z_$][A-Za-z0-9_$]*, the rule of the
// TypeScript and Python SDKs) and `["key"]` in JSON quoting for any other key.
func writeKey(b *strings.Builder, key string) {
	if isIdentifier(key) {
		b.WriteByte('.')
		b.WriteString(key)
		return
	}
	b.WriteByte('[')
	writeJSONString(b, key)
	b.WriteByte(']')
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '$'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// writeJSONString quotes s as JSON.stringify does: `"` and `\` escaped, the usual short
// escapes, other control characters as \u00XX, everything else as is. Bytes that are not
// UTF-8 become U+FFFD, so that an error message is always printable.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// A fault is a value error found deep in a tree. The walkers return it upwards and each
// level adds its step, so that no path string is built unless something is wrong.
type fault struct {
	kind    ProtocolErrorKind
	message string
	// segments from the faulty place outwards: innermost first.
	segments []pathSegment
}

func newFault(kind ProtocolErrorKind, message string) *fault {
	return &fault{kind: kind, message: message}
}

// atKey and atIndex add the step from a parent to the member where the fault is.
func (f *fault) atKey(key string) *fault {
	f.segments = append(f.segments, pathSegment{key: key, isKey: true})
	return f
}

func (f *fault) atIndex(index int) *fault {
	f.segments = append(f.segments, pathSegment{index: index})
	return f
}

// error turns the fault into a ProtocolError whose path starts at root.
func (f *fault) error(root string) *ProtocolError {
	outer := make([]pathSegment, len(f.segments))
	for i, s := range f.segments {
		outer[len(f.segments)-1-i] = s
	}
	path := joinPath(root, outer)
	return &ProtocolError{Kind: f.kind, Message: path + ": " + f.message, Path: path}
}

// tooDeep is the fault of a member at depth MaxValueDepth+1.
func tooDeep() *fault {
	return newFault(KindValueTooDeep, "the value is nested deeper than "+strconv.Itoa(MaxValueDepth)+
		" levels (or contains a cycle); flatten it, or send the deep part as a JSON string or as bytes")
}
