package polyproc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// FrameDecoder turns bytes, in chunks of any size, into frames (PROTOCOL.md §3). Too few
// bytes is "nothing yet"; a frame that breaks a rule of §3.4 is a *ProtocolError, after
// which the decoder is dead and repeats that error, since the connection must be closed.
//
// It keeps the bytes of an incomplete frame in one buffer that grows by doubling and is
// compacted only when a frame has been consumed, so input of any chunking costs linear
// time. Decoded frames never share memory with the decoder or with the chunks pushed:
// protobuf copies bytes and string fields out of the input while parsing, so the caller
// may reuse a chunk once Push returns and may keep frames for as long as it likes.
//
// A FrameDecoder is not safe for concurrent use; one goroutine reads a connection.
type FrameDecoder struct {
	maxFrameBytes int
	// buf[head:] holds the bytes received and not yet decoded.
	buf     []byte
	head    int
	failure error
	ended   bool
}

var unmarshalOptions = proto.UnmarshalOptions{RecursionLimit: protobufRecursionLimit}

// errPushAfterEnd is returned by Push after End succeeded: a misuse, not a protocol error.
var errPushAfterEnd = errors.New("polyproc: FrameDecoder.Push called after End; make a new decoder for a new connection")

// NewFrameDecoder returns a decoder that refuses frames whose length prefix is over
// maxFrameBytes with FRAME_TOO_LARGE, as soon as the 4 length bytes are in and before
// any of the body is stored (§3.2). Zero means DefaultMaxFrameBytes; a negative limit
// panics, as it is a programming error.
func NewFrameDecoder(maxFrameBytes int) *FrameDecoder {
	return &FrameDecoder{maxFrameBytes: checkMaxFrameBytes("NewFrameDecoder", maxFrameBytes)}
}

// Buffered returns the number of bytes received that do not form a whole frame yet.
func (d *FrameDecoder) Buffered() int { return len(d.buf) - d.head }

// Push adds received bytes and returns the frames they complete, in order. When a frame
// breaks a rule, Push returns the frames before it together with the *ProtocolError; the
// caller may act on those frames, but must then close the connection. Every later call
// returns the same error.
func (d *FrameDecoder) Push(chunk []byte) ([]*Frame, error) {
	if d.failure != nil {
		return nil, d.failure
	}
	if d.ended {
		return nil, errPushAfterEnd
	}
	var frames []*Frame
	var err error
	if d.head == len(d.buf) {
		// Nothing buffered: decode straight from the chunk and keep only its incomplete tail.
		var used int
		frames, used, err = d.decodeFrom(chunk, frames)
		if err == nil && used < len(chunk) {
			d.buf = append(d.buf[:0], chunk[used:]...)
			d.head = 0
		}
	} else {
		d.append(chunk)
		var used int
		frames, used, err = d.decodeFrom(d.buf[d.head:], frames)
		d.head += used
	}
	if err != nil {
		d.fail(err)
		return frames, err
	}
	if d.head == len(d.buf) {
		d.reset()
	}
	return frames, nil
}

// End says that the input is over. It returns TRUNCATED_FRAME when the input stopped
// inside a frame (1 to 3 length bytes, or part of a body), and nil otherwise.
func (d *FrameDecoder) End() error {
	if d.failure != nil {
		return d.failure
	}
	d.ended = true
	left := d.Buffered()
	if left == 0 {
		return nil
	}
	var what string
	if left < FrameHeaderBytes {
		what = fmt.Sprintf("%d of the 4 length bytes", left)
	} else {
		length := binary.BigEndian.Uint32(d.buf[d.head:])
		what = fmt.Sprintf("%d of the %d body bytes", left-FrameHeaderBytes, length)
	}
	d.fail(newProtocolError(KindTruncatedFrame, "the input ended inside a frame after "+what+
		"; the peer closed the connection mid-frame"))
	return d.failure
}

func (d *FrameDecoder) fail(err error) {
	d.failure = err
	d.buf, d.head = nil, 0
}

// retainBytes is the largest empty buffer kept for the next frames; a larger one, left by a
// large frame, is given back to the garbage collector.
const retainBytes = 64 << 10

func (d *FrameDecoder) reset() {
	if cap(d.buf) > retainBytes {
		d.buf = nil
	} else {
		d.buf = d.buf[:0]
	}
	d.head = 0
}

// decodeFrom decodes every whole frame at the start of b and returns them with the number
// of bytes they took.
func (d *FrameDecoder) decodeFrom(b []byte, frames []*Frame) ([]*Frame, int, error) {
	used := 0
	for len(b)-used >= FrameHeaderBytes {
		length := binary.BigEndian.Uint32(b[used:])
		if uint64(length) > uint64(d.maxFrameBytes) {
			return frames, used, newProtocolError(KindFrameTooLarge, fmt.Sprintf(
				"the peer announced a frame of %d bytes, over the limit of %d bytes; it is buggy or hostile, or the two sides disagree on max_frame_bytes",
				length, d.maxFrameBytes))
		}
		end := used + FrameHeaderBytes + int(length)
		if end > len(b) {
			break
		}
		f, err := DecodeFrameBody(b[used+FrameHeaderBytes : end])
		if err != nil {
			return frames, used, err
		}
		frames = append(frames, f)
		used = end
	}
	return frames, used, nil
}

// append adds chunk after the buffered bytes. When the buffer is full, it moves the
// unconsumed bytes to the front if that frees at least as much room as it copies, and
// otherwise moves them to a new buffer twice as large (but no larger than the frame being
// received needs, as far as the bytes in hand show): every byte is copied a bounded number
// of times, and an announced length never makes the decoder allocate ahead of the bytes.
func (d *FrameDecoder) append(chunk []byte) {
	if len(d.buf)+len(chunk) <= cap(d.buf) {
		d.buf = append(d.buf, chunk...)
		return
	}
	pending := d.buf[d.head:]
	need := len(pending) + len(chunk)
	if need <= cap(d.buf) && d.head >= len(pending) {
		n := copy(d.buf, pending)
		d.buf, d.head = append(d.buf[:n], chunk...), 0
		return
	}
	size := max(2*len(pending), minBufferBytes)
	if len(pending) >= FrameHeaderBytes {
		size = min(size, FrameHeaderBytes+int(binary.BigEndian.Uint32(pending)))
	}
	next := make([]byte, 0, max(size, need))
	next = append(next, pending...)
	d.buf, d.head = append(next, chunk...), 0
}

// minBufferBytes is the smallest buffer the decoder allocates.
const minBufferBytes = 4096

// DecodeFrameBody parses and checks one frame body, without its length prefix, in the
// order of PROTOCOL.md §3.4: protobuf (MALFORMED_FRAME, or VALUE_TOO_DEEP for nesting past
// the parser's recursion limit), a kind (EMPTY_FRAME), the Value (INVALID_VALUE,
// VALUE_TOO_DEEP). Errors are *ProtocolError. FrameDecoder uses it for every frame.
func DecodeFrameBody(body []byte) (*Frame, error) {
	f := new(Frame)
	if err := unmarshalOptions.Unmarshal(body, f); err != nil {
		if strings.Contains(err.Error(), "exceeded maximum recursion depth") {
			return nil, &ProtocolError{Kind: KindValueTooDeep, Err: err, Message: fmt.Sprintf(
				"the frame nests messages more than %d deep, deeper than any valid Value (%d levels) allows",
				protobufRecursionLimit, MaxValueDepth)}
		}
		return nil, &ProtocolError{Kind: KindMalformedFrame, Err: err, Message: "the frame body is not a valid polyproc.v1.Frame (" +
			err.Error() + "); the peer is not speaking polyproc protocol v1, or the stream lost its framing"}
	}
	if f.GetKind() == nil {
		return nil, noKindError(f)
	}
	if _, err := validateFrame(f, false); err != nil {
		return nil, err
	}
	return f, nil
}

// noKindError explains a frame without a kind. protobuf keeps a field whose wire type does
// not match the schema as an unknown field; PROTOCOL.md §3.4 counts a frame kind with the
// wrong wire type as MALFORMED_FRAME, so the unknown fields decide between the two.
func noKindError(f *Frame) *ProtocolError {
	kinds := f.ProtoReflect().Descriptor().Fields()
	for b := f.ProtoReflect().GetUnknown(); len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			break
		}
		if kind := kinds.ByNumber(num); kind != nil {
			return newProtocolError(KindMalformedFrame, fmt.Sprintf(
				"the frame body is not a valid polyproc.v1.Frame (field %d, %s, has wire type %d instead of a length-delimited message)",
				num, kind.Name(), typ))
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			break
		}
		b = b[n+m:]
	}
	return newProtocolError(KindEmptyFrame,
		"the frame carries no message kind known to protocol v1; the peer may speak a newer version without negotiating it")
}
