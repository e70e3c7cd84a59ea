/** The protocol version this package speaks (PROTOCOL.md §4.3). */
export const PROTOCOL_VERSION = 1;

/** DEFAULT_MAX_FRAME_BYTES is the frame-size limit used until Welcome says otherwise (§3.2). */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** MAX_VALUE_DEPTH is the deepest Value tree that is valid (§9.4). */
export const MAX_VALUE_DEPTH = 64;

/** FRAME_HEADER_BYTES is the size of the big-endian length that precedes every frame (§3.1). */
export const FRAME_HEADER_BYTES = 4;

/**
 * PROTOBUF_RECURSION_LIMIT is the message nesting the protobuf parser must accept: a map
 * costs three protobuf levels per Value level, so 64-level Values need about 195 (§3.4).
 */
export const PROTOBUF_RECURSION_LIMIT = 200;
