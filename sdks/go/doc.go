// Package polyproc is the Go SDK of polyproc, a multi-process, multi-language plugin
// system. At this stage it holds the sans-I/O codec of wire protocol v1: framing
// (PROTOCOL.md §3) and the mapping between Go values and protocol Values (§9). Nothing in
// it reads a socket, starts a timer or spawns a process; the connection layer feeds bytes
// to a FrameDecoder and writes what a FrameEncoder returns.
//
// # Frames
//
// A frame is a 4-byte big-endian length followed by one protobuf polyproc.v1.Frame. The
// generated message types live in an internal package, so that they are not part of this
// module's API; the package exposes the two it needs as aliases, Frame and Value. Code
// in this module (the SDK built on the codec, its tests) builds frames with the internal
// types; plugin authors never see a Frame and pass plain Go values, which ToValue and the
// typed helpers Encode and Decode convert.
//
// # Values
//
// ToValue maps Go values to Values and FromValue maps them back:
//
//	Go (ToValue)                          Value     Go (FromValue)
//	nil, nil pointer/slice/map/interface  null      nil
//	bool                                  bool      bool
//	int*, uint* (≤ MaxInt64)              int       int64
//	float32, float64 (NaN canonical)      double    float64
//	string (valid UTF-8)                  string    string
//	[]byte                                bytes     []byte
//	slices and arrays                     list      []any
//	maps with string keys                 map       map[string]any
//	structs (json tags)                   map       map[string]any
//
// Decode[T] maps a Value into a T of the caller's choice instead.
package polyproc
