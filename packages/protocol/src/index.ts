// @polyproc/protocol: the polyproc wire protocol v1 for TypeScript (spec/PROTOCOL.md).
// This file is the package's only entry point.

export { FrameDecoder, decodeBody } from "./frame-decoder.js";
export type { FrameDecoderOptions } from "./frame-decoder.js";
export { FrameEncoder, encodeFrames } from "./frame-encoder.js";
export type { FrameEncoderOptions } from "./frame-encoder.js";
export { PluginError, codeName, codeNumber, errorCodes, isErrorCode } from "./plugin-error.js";
export type { ErrorCode, ErrorInfo, PluginErrorOptions } from "./plugin-error.js";
export { allCapabilities } from "./peer-types.js";
export type * from "./peer-types.js";
export { Peer } from "./peer.js";
export { DEFAULT_INITIAL_CREDIT } from "./peer-calls.js";
export { MIN_MAX_FRAME_BYTES } from "./peer-handshake.js";
export { checkHello, isValidFunctionName } from "./hello-check.js";
export type { HelloCheck } from "./hello-check.js";
export { isValidPattern, isValidTopic, topicMatches } from "./topics.js";
export { formatTraceparent, parseTraceparent } from "./trace-context.js";
export type { TraceParent } from "./trace-context.js";
export { ProtocolError, protocolErrorKinds } from "./protocol-error.js";
export type { ProtocolErrorKind } from "./protocol-error.js";
export { fromValue, toValue } from "./value-mapping.js";
export type { PlainValue } from "./value-mapping.js";
export { validateFrameValues, validateValue } from "./value-validate.js";
export { compareMapKeys } from "./map-key-order.js";
export { formatPath, indexPath, keyPath, memberPath } from "./value-path.js";
export type { PathSegment } from "./value-path.js";
export { isPromiseLike } from "./is-promise-like.js";
export { checkJsonSchema } from "./json-schema-check.js";
export type { JsonSchema, SchemaIssue } from "./json-schema-check.js";
export { isStandardSchema } from "./standard-schema.js";
export type * from "./standard-schema.js";
export { JSON_SCHEMA_TARGET, toJsonSchemaText } from "./schema-json.js";
export type { JsonSchemaObject, SchemaConversion, SchemaOption } from "./schema-json.js";
export { argsValidator, invalidArguments } from "./args-validator.js";
export type { ArgsValidator } from "./args-validator.js";
export {
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  MAX_VALUE_DEPTH,
  PROTOBUF_RECURSION_LIMIT,
  PROTOCOL_VERSION,
} from "./limits.js";

// The generated messages of spec/polyproc/v1, schemas included (for create, toBinary, toJson).
export * from "./gen/polyproc/v1/value_pb.js";
export * from "./gen/polyproc/v1/error_pb.js";
export * from "./gen/polyproc/v1/handshake_pb.js";
export * from "./gen/polyproc/v1/call_pb.js";
export * from "./gen/polyproc/v1/stream_pb.js";
export * from "./gen/polyproc/v1/control_pb.js";
export * from "./gen/polyproc/v1/frame_pb.js";

// The protobuf-es functions that users of the messages need, so that they need not depend on
// @bufbuild/protobuf themselves: create(FrameSchema, init), toJson/fromJson for debugging.
export { create, fromJson, toJson } from "@bufbuild/protobuf";
