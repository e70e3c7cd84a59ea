package polyproc

import "github.com/polyproc/polyproc/sdks/go/internal/gen/polyprocv1"

// Frame is the one message on the wire, polyproc.v1.Frame (PROTOCOL.md §3). It is an
// alias of the generated type, which lives in an internal package: code outside this
// module can hold and pass frames but not build them, so the generated code stays out of
// the module's public API while the SDK in this module and its tests use it freely.
type Frame = polyprocv1.Frame

// Value is a dynamic value, polyproc.v1.Value (PROTOCOL.md §9): an alias of the generated
// type, like Frame. Build one with ToValue or Encode and read one with FromValue or
// Decode.
type Value = polyprocv1.Value

const (
	// DefaultMaxFrameBytes is the frame-size limit used until Welcome says otherwise:
	// 16 MiB (PROTOCOL.md §3.2).
	DefaultMaxFrameBytes = 16 * 1024 * 1024
	// MaxValueDepth is the deepest Value tree that is valid (PROTOCOL.md §9.4). A scalar,
	// an empty list and an empty map have depth 1; a list or map has 1 + the greatest
	// depth of its members.
	MaxValueDepth = 64
	// FrameHeaderBytes is the size of the big-endian length before every frame (§3.1).
	FrameHeaderBytes = 4
	// protobufRecursionLimit is the message nesting the protobuf parser accepts: a map
	// costs three protobuf levels per Value level (Value, MapValue, MapEntry), so a
	// 64-level Value inside a Frame needs about 195 (§3.4).
	protobufRecursionLimit = 200
	// maxFrameLength is the largest length the 4-byte prefix can carry.
	maxFrameLength = 1<<32 - 1
)
