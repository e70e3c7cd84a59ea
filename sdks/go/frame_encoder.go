package polyproc

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"google.golang.org/protobuf/proto"
)

// FrameEncoder writes frames as the wire carries them (PROTOCOL.md §3.1): each frame's
// 4-byte big-endian length, then its protobuf body. It appends many frames to one buffer,
// so that a batch goes out in one write. It keeps no state between calls and is safe for
// concurrent use; make a new one when the frame-size limit changes (after Welcome).
//
// Before writing a frame it checks the frame's Value as a decoder would (§3.4 step 4),
// so that an invalid Value fails here rather than at the peer, and it writes Values in
// their canonical form (§9): NaN as 0x7FF8000000000000, map entries sorted by key, null
// written as null_value inside a map. Values built by ToValue are canonical already; a
// frame that needs a fix is copied first, so the caller's frame is never modified.
type FrameEncoder struct {
	maxFrameBytes int
}

// NewFrameEncoder returns an encoder that refuses bodies over maxFrameBytes with
// FRAME_TOO_LARGE (§3.2). Zero means DefaultMaxFrameBytes; a negative limit panics, as it
// is a programming error.
func NewFrameEncoder(maxFrameBytes int) *FrameEncoder {
	return &FrameEncoder{maxFrameBytes: checkMaxFrameBytes("NewFrameEncoder", maxFrameBytes)}
}

// MaxFrameBytes returns the encoder's frame-size limit.
func (e *FrameEncoder) MaxFrameBytes() int { return e.maxFrameBytes }

var marshalOptions = proto.MarshalOptions{
	// Deterministic sorts the entries of protobuf maps (Call.metadata), so that the same
	// frame always gives the same bytes.
	Deterministic: true,
}

// sizedMarshal writes a body whose size it has just computed; the frame must not change
// in between, which holds because the encoder never hands the frame to anyone meanwhile.
var sizedMarshal = proto.MarshalOptions{Deterministic: true, UseCachedSize: true}

// AppendFrame appends f's length and body to dst and returns the extended slice. On an
// error nothing is appended: the returned slice is dst. The errors are *ProtocolError:
// FRAME_TOO_LARGE for a body over the limit, INVALID_VALUE or VALUE_TOO_DEEP for an
// invalid Value, MALFORMED_FRAME for a frame protobuf cannot serialize (a string field
// that is not UTF-8, say).
func (e *FrameEncoder) AppendFrame(dst []byte, f *Frame) ([]byte, error) {
	if f == nil {
		return dst, newProtocolError(KindEmptyFrame, "AppendFrame was given a nil *Frame; pass a Frame with one kind set")
	}
	if f.GetKind() == nil {
		return dst, newProtocolError(KindEmptyFrame, "the frame has no kind set; set exactly one (call, result, ...) before sending it")
	}
	needsFix, err := validateFrame(f, true)
	if err != nil {
		return dst, err
	}
	if needsFix {
		f = canonicalizeFrame(f)
	}
	size := marshalOptions.Size(f)
	if size > e.maxFrameBytes {
		return dst, newProtocolError(KindFrameTooLarge, fmt.Sprintf(
			"the frame body is %d bytes, over the limit of %d bytes; send large data in pieces (a stream) or raise max_frame_bytes on both sides",
			size, e.maxFrameBytes))
	}
	start := len(dst)
	out := binary.BigEndian.AppendUint32(dst, uint32(size))
	out, err = sizedMarshal.MarshalAppend(out, f)
	if err != nil {
		return dst, &ProtocolError{Kind: KindMalformedFrame, Message: "the frame cannot be serialized: " + err.Error(), Err: err}
	}
	if written := len(out) - start - FrameHeaderBytes; written != size {
		// Only a frame changed by another goroutine while it was being encoded gets here.
		return dst, newProtocolError(KindMalformedFrame, "the frame changed while it was being encoded ("+
			strconv.Itoa(size)+" bytes announced, "+strconv.Itoa(written)+" written); do not modify a frame until Encode returns")
	}
	return out, nil
}

// Encode returns one buffer holding every frame, in order, for one write. When any frame
// fails, Encode returns nil and that frame's error, wrapped with its position, and nothing
// of the batch should be written.
func (e *FrameEncoder) Encode(frames ...*Frame) ([]byte, error) {
	var buf []byte
	for i, f := range frames {
		var err error
		if buf, err = e.AppendFrame(buf, f); err != nil {
			if len(frames) == 1 {
				return nil, err
			}
			return nil, fmt.Errorf("frame %d of %d: %w", i+1, len(frames), err)
		}
	}
	return buf, nil
}

func checkMaxFrameBytes(caller string, maxFrameBytes int) int {
	switch {
	case maxFrameBytes < 0:
		panic("polyproc: " + caller + ": maxFrameBytes is " + strconv.Itoa(maxFrameBytes) +
			"; pass a positive limit in bytes, or 0 for DefaultMaxFrameBytes")
	case maxFrameBytes == 0:
		return DefaultMaxFrameBytes
	case uint64(maxFrameBytes) > maxFrameLength:
		// The 4-byte prefix cannot announce more; a larger limit is the same as this one.
		return int(min(uint64(maxFrameLength), math.MaxInt))
	}
	return maxFrameBytes
}

func cloneFrame(f *Frame) *Frame {
	return proto.Clone(f).(*Frame)
}
