package polyproc

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// The hot frames of the RPC layer, written straight from native Go values (PROTOCOL.md
// §3.1 framing, §9 values): AppendCall, AppendResult and AppendStreamItem write exactly
// the bytes that AppendFrame writes for the same frame built with ToValue, without
// building the Frame and Value trees.

// CallFrame is a Call (PROTOCOL.md §5.1) whose arguments are a native Go value, for
// FrameEncoder.AppendCall.
type CallFrame struct {
	ID       uint64
	Function string
	// Target is the plugin a routed call goes to (§5.4); empty for a direct call.
	Target string
	// Args is mapped as ToValue(Args, "args") maps it; nil is written as null.
	Args       any
	DeadlineMs uint32
	// Metadata is written with its entries sorted by key, as a deterministic protobuf
	// marshal writes a map (§5.5).
	Metadata      map[string]string
	Streaming     bool
	InitialCredit uint32
}

// ResultFrame is a Result (§5.3), for FrameEncoder.AppendResult: the call's value, or,
// when Error is set, its error.
type ResultFrame struct {
	ID uint64
	// Value is mapped as ToValue(Value, "result") maps it; nil is written as null. It must
	// be nil when Error is set.
	Value any
	Error *ErrorInfo
}

// ErrorInfo is the Error message of a failed call (§8.1), with its details as a native Go
// value.
type ErrorInfo struct {
	Code    Code
	Message string
	// Details is mapped as ToValue(Details, "details") maps it; nil leaves details out.
	Details        any
	OriginPlugin   string
	OriginInstance string
	Retryable      bool
}

// StreamItemFrame is a StreamItem (§10), for FrameEncoder.AppendStreamItem.
type StreamItemFrame struct {
	ID uint64
	// Value is mapped as ToValue(Value, "item") maps it; nil is written as null.
	Value any
}

// Field tags of the frames written here (frame.proto, call.proto, stream.proto,
// error.proto): field number << 3 | wire type.
const (
	tagFrameCall       = 1<<3 | 2
	tagFrameResult     = 2<<3 | 2
	tagFrameStreamItem = 3<<3 | 2
	tagVarint1         = 1<<3 | 0 // id, Error.code
	tagBytes2          = 2<<3 | 2 // Call.function, Result.value, StreamItem.value, Error.message
	tagBytes3          = 3<<3 | 2 // Call.target, Result.error, Error.details
	tagBytes4          = 4<<3 | 2 // Call.args, Error.origin_plugin
	tagVarint5         = 5<<3 | 0 // Call.deadline_ms
	tagBytes5          = 5<<3 | 2 // Error.origin_instance
	tagBytes6          = 6<<3 | 2 // Call.metadata
	tagVarint6         = 6<<3 | 0 // Error.retryable
	tagVarint7         = 7<<3 | 0 // Call.streaming
	tagVarint8         = 8<<3 | 0 // Call.initial_credit
)

// AppendCall appends the frame of c (a Frame holding a Call, §5.1) to dst, length prefix
// first (§3.1), and returns the extended slice. The bytes are those AppendFrame writes for
// the Call built with ToValue(c.Args, "args"), and the errors are the same, in the same
// order: ToValue's value errors (INVALID_VALUE, VALUE_TOO_DEEP, Path from "args"), then
// FRAME_TOO_LARGE (§3.2), then MALFORMED_FRAME for a string field that is not UTF-8. On
// an error nothing is appended. It allocates nothing for arguments of the common types
// (nil, bool, ints, floats, string, []byte, []any, map[string]any) once warm.
func (e *FrameEncoder) AppendCall(dst []byte, c CallFrame) ([]byte, error) {
	w := getValueWriter()
	defer putValueWriter(w)
	argsSize, err := w.prepare(c.Args, "args")
	if err != nil {
		return dst, err
	}
	body := sizeUint(1, c.ID) + sizeString(c.Function) + sizeString(c.Target) +
		1 + protowire.SizeBytes(argsSize) + sizeUint(1, uint64(c.DeadlineMs))
	for k := range c.Metadata {
		w.keys = append(w.keys, k)
	}
	slices.Sort(w.keys)
	for _, k := range w.keys {
		body += 1 + protowire.SizeBytes(metadataEntrySize(k, c.Metadata[k]))
	}
	if c.Streaming {
		body += 2
	}
	body += sizeUint(1, uint64(c.InitialCredit))
	size := 1 + protowire.SizeBytes(body)
	if err := e.checkSize(size); err != nil {
		return dst, err
	}
	if err := checkUTF8("polyproc.v1.Call.function", c.Function); err != nil {
		return dst, err
	}
	if err := checkUTF8("polyproc.v1.Call.target", c.Target); err != nil {
		return dst, err
	}
	for _, k := range w.keys {
		if err := checkUTF8("polyproc.v1.Call.metadata key", k); err != nil {
			return dst, err
		}
		if err := checkUTF8("polyproc.v1.Call.metadata value", c.Metadata[k]); err != nil {
			return dst, err
		}
	}
	out := binary.BigEndian.AppendUint32(dst, uint32(size))
	out = protowire.AppendVarint(append(out, tagFrameCall), uint64(body))
	out = appendUint(out, tagVarint1, c.ID)
	out = appendString(out, tagBytes2, c.Function)
	out = appendString(out, tagBytes3, c.Target)
	out = protowire.AppendVarint(append(out, tagBytes4), uint64(argsSize))
	out = w.write(out, c.Args)
	out = appendUint(out, tagVarint5, uint64(c.DeadlineMs))
	for _, k := range w.keys {
		v := c.Metadata[k]
		out = protowire.AppendVarint(append(out, tagBytes6), uint64(metadataEntrySize(k, v)))
		out = protowire.AppendString(append(out, 1<<3|2), k)
		out = protowire.AppendString(append(out, 2<<3|2), v)
	}
	if c.Streaming {
		out = append(out, tagVarint7, 1)
	}
	out = appendUint(out, tagVarint8, uint64(c.InitialCredit))
	return finish(dst, out, size, w)
}

// AppendResult appends the frame of r (a Frame holding a Result, §5.3) to dst, length
// prefix first (§3.1). The bytes are those AppendFrame writes for the Result built with
// ToValue(r.Value, "result"), or, with r.Error set, for the Result whose Error has the
// details ToValue(r.Error.Details, "details") (left out when Details is nil). The errors
// are as AppendCall's, with the paths starting at "result" or "details"; a ResultFrame
// with both Value and Error set is MALFORMED_FRAME. On an error nothing is appended.
func (e *FrameEncoder) AppendResult(dst []byte, r ResultFrame) ([]byte, error) {
	w := getValueWriter()
	defer putValueWriter(w)
	body := sizeUint(1, r.ID)
	var valueSize, errSize, detailsSize int
	var err error
	if r.Error != nil {
		if r.Value != nil {
			return dst, newProtocolError(KindMalformedFrame, "the ResultFrame has both a Value and an Error; a Result carries one outcome, set only one")
		}
		x := r.Error
		if x.Details != nil {
			if detailsSize, err = w.prepare(x.Details, "details"); err != nil {
				return dst, err
			}
		}
		errSize = errorBodySize(x, detailsSize)
		body += 1 + protowire.SizeBytes(errSize)
	} else {
		if valueSize, err = w.prepare(r.Value, "result"); err != nil {
			return dst, err
		}
		body += 1 + protowire.SizeBytes(valueSize)
	}
	size := 1 + protowire.SizeBytes(body)
	if err := e.checkSize(size); err != nil {
		return dst, err
	}
	if x := r.Error; x != nil {
		for _, s := range [...]struct{ field, s string }{
			{"polyproc.v1.Error.message", x.Message},
			{"polyproc.v1.Error.origin_plugin", x.OriginPlugin},
			{"polyproc.v1.Error.origin_instance", x.OriginInstance},
		} {
			if err := checkUTF8(s.field, s.s); err != nil {
				return dst, err
			}
		}
	}
	out := binary.BigEndian.AppendUint32(dst, uint32(size))
	out = protowire.AppendVarint(append(out, tagFrameResult), uint64(body))
	out = appendUint(out, tagVarint1, r.ID)
	if x := r.Error; x != nil {
		out = protowire.AppendVarint(append(out, tagBytes3), uint64(errSize))
		out = appendUint(out, tagVarint1, uint64(int64(x.Code)))
		out = appendString(out, tagBytes2, x.Message)
		if x.Details != nil {
			out = protowire.AppendVarint(append(out, tagBytes3), uint64(detailsSize))
			out = w.write(out, x.Details)
		}
		out = appendString(out, tagBytes4, x.OriginPlugin)
		out = appendString(out, tagBytes5, x.OriginInstance)
		if x.Retryable {
			out = append(out, tagVarint6, 1)
		}
	} else {
		out = protowire.AppendVarint(append(out, tagBytes2), uint64(valueSize))
		out = w.write(out, r.Value)
	}
	return finish(dst, out, size, w)
}

// AppendStreamItem appends the frame of s (a Frame holding a StreamItem, §10) to dst,
// length prefix first (§3.1): the bytes AppendFrame writes for the StreamItem built with
// ToValue(s.Value, "item"), and the errors as AppendCall's, with paths from "item".
func (e *FrameEncoder) AppendStreamItem(dst []byte, s StreamItemFrame) ([]byte, error) {
	w := getValueWriter()
	defer putValueWriter(w)
	valueSize, err := w.prepare(s.Value, "item")
	if err != nil {
		return dst, err
	}
	body := sizeUint(1, s.ID) + 1 + protowire.SizeBytes(valueSize)
	size := 1 + protowire.SizeBytes(body)
	if err := e.checkSize(size); err != nil {
		return dst, err
	}
	out := binary.BigEndian.AppendUint32(dst, uint32(size))
	out = protowire.AppendVarint(append(out, tagFrameStreamItem), uint64(body))
	out = appendUint(out, tagVarint1, s.ID)
	out = protowire.AppendVarint(append(out, tagBytes2), uint64(valueSize))
	out = w.write(out, s.Value)
	return finish(dst, out, size, w)
}

// checkSize is AppendFrame's FRAME_TOO_LARGE check (§3.2.4).
func (e *FrameEncoder) checkSize(size int) error {
	if size > e.maxFrameBytes {
		return newProtocolError(KindFrameTooLarge, fmt.Sprintf(
			"the frame body is %d bytes, over the limit of %d bytes; send large data in pieces (a stream) or raise max_frame_bytes on both sides",
			size, e.maxFrameBytes))
	}
	return nil
}

// finish checks that the write pass wrote the size the size pass announced and returns
// out, or dst and the error.
func finish(dst, out []byte, size int, w *valueWriter) ([]byte, error) {
	if w.err != nil {
		return dst, &ProtocolError{Kind: KindMalformedFrame, Message: "the frame cannot be serialized: " + w.err.Error(), Err: w.err}
	}
	if written := len(out) - len(dst) - FrameHeaderBytes; written != size {
		// Only a value changed by another goroutine while it was being encoded gets here.
		return dst, newProtocolError(KindMalformedFrame, "the frame changed while it was being encoded ("+
			strconv.Itoa(size)+" bytes announced, "+strconv.Itoa(written)+" written); do not modify a value until the Append call returns")
	}
	return out, nil
}

func errorBodySize(x *ErrorInfo, detailsSize int) int {
	n := sizeUint(1, uint64(int64(x.Code))) + sizeString(x.Message)
	if x.Details != nil {
		n += 1 + protowire.SizeBytes(detailsSize)
	}
	n += sizeString(x.OriginPlugin) + sizeString(x.OriginInstance)
	if x.Retryable {
		n += 2
	}
	return n
}

// metadataEntrySize is the size of a protobuf map entry of Call.metadata: Go's runtime
// writes the key and the value even when they are empty.
func metadataEntrySize(k, v string) int {
	return 2 + protowire.SizeBytes(len(k)) + protowire.SizeBytes(len(v))
}

// sizeUint is the size of a proto3 varint field with a one-byte tag: nothing for zero.
func sizeUint(tagBytes int, x uint64) int {
	if x == 0 {
		return 0
	}
	return tagBytes + protowire.SizeVarint(x)
}

// sizeString is the size of a proto3 string field with a one-byte tag: nothing for "".
func sizeString(s string) int {
	if s == "" {
		return 0
	}
	return 1 + protowire.SizeBytes(len(s))
}

func appendUint(b []byte, tag byte, x uint64) []byte {
	if x == 0 {
		return b
	}
	return protowire.AppendVarint(append(b, tag), x)
}

func appendString(b []byte, tag byte, s string) []byte {
	if s == "" {
		return b
	}
	return protowire.AppendString(append(b, tag), s)
}

func checkUTF8(field, s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	return newProtocolError(KindMalformedFrame, "the frame cannot be serialized: string field "+field+
		" contains invalid UTF-8; string fields are text, fix the text's encoding")
}
