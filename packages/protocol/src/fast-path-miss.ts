/**
 * FAST_PATH_MISS is thrown by the hand-written codec (WireReader, fast-decode, fast-encode)
 * when its input is not in the subset it handles: unknown fields, unusual encodings, values
 * of the wrong type, invalid input. The caller then leaves the frame to protobuf-es, which
 * decides what it means. It is one preallocated error, thrown without building a stack.
 */
export const FAST_PATH_MISS: Error = new Error("the fast path does not handle this input");
