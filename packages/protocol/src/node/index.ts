// @polyproc/protocol/node: the Peer over Node sockets (PROTOCOL.md §2, §3.3).

export { PeerConnection } from "./peer-connection.js";
export type { PeerConnectionOptions, WireTap } from "./peer-connection.js";
export { addressPath, connect } from "./address.js";
export { DeadlineQueue } from "./deadline-queue.js";
export type { DeadlineEntry, DeadlineQueueOptions } from "./deadline-queue.js";
export { StreamReader } from "./stream-reader.js";
export type { StreamSink } from "./stream-reader.js";
export { OTEL_API_PACKAGE, loadOtelApi, registeredTracerProvider, remoteParent, telemetryApi, withSpanContext } from "./otel-support.js";
export type { OtelApi, ProviderField } from "./otel-support.js";
