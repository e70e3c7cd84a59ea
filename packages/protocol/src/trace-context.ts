// W3C Trace Context's `traceparent` header, as calls carry it in their metadata (PROTOCOL.md
// §5.5.2; https://www.w3.org/TR/trace-context/#traceparent-header). Format and parse only:
// the SDKs and the host map it to and from OpenTelemetry span contexts.

/** TraceParent is the content of a `traceparent` header. */
export interface TraceParent {
  /** The trace id: 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** The id of the parent span: 16 lowercase hex digits, not all zero. */
  spanId: string;
  /** The trace flags, 0 to 255 (bit 0: sampled). */
  traceFlags: number;
}

const VERSION_00_LENGTH = 55;
const HEADER = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/;
const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);

/**
 * parseTraceparent reads a `traceparent` header and returns undefined when it is not valid:
 * version `ff`, a version-00 header of another length than 55, fields of the wrong size, hex
 * digits that are not lowercase, or an all-zero trace or span id. A header of a later version
 * is read for its first four fields, as the recommendation asks, when a `-` or its end
 * follows them.
 */
export function parseTraceparent(header: string | undefined): TraceParent | undefined {
  if (header === undefined || header.length < VERSION_00_LENGTH) return undefined;
  const match = HEADER.exec(header);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === "ff") return undefined;
  if (version === "00" ? header.length !== VERSION_00_LENGTH : header.length > VERSION_00_LENGTH && header[VERSION_00_LENGTH] !== "-") return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) };
}

/**
 * formatTraceparent writes a version-00 `traceparent` header:
 * `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. The ids must be valid (see
 * TraceParent); the flags are taken modulo 256.
 */
export function formatTraceparent(parent: TraceParent): string {
  const flags = (parent.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `00-${parent.traceId}-${parent.spanId}-${flags}`;
}
