/**
 * The names of the codec and protocol errors of spec/PROTOCOL.md §3.4 and §9, and
 * PROTOCOL_VIOLATION for the other closes of §15 (a frame the state of the connection does
 * not allow). They are the same strings in every language's SDK; the first six are the
 * `error` field of the invalid vectors.
 */
export const protocolErrorKinds = [
  "FRAME_TOO_LARGE",
  "TRUNCATED_FRAME",
  "MALFORMED_FRAME",
  "EMPTY_FRAME",
  "VALUE_TOO_DEEP",
  "INVALID_VALUE",
  "PROTOCOL_VIOLATION",
] as const;

/** ProtocolErrorKind names one kind of ProtocolError. */
export type ProtocolErrorKind = (typeof protocolErrorKinds)[number];

const brand = Symbol.for("@polyproc/protocol/ProtocolError");

/**
 * ProtocolError is a local failure of the wire protocol: a frame that cannot be decoded, a
 * frame too large to send, a value that cannot be mapped. It is never an error that the peer
 * sent (those are PluginErrors). A connection that sees one while decoding MUST be closed
 * (PROTOCOL.md §3.4).
 */
export class ProtocolError extends Error {
  override name = "ProtocolError";
  /** Which rule was broken, one of the names of PROTOCOL.md §3.4 (or PROTOCOL_VIOLATION, §15). */
  readonly kind: ProtocolErrorKind;
  /** For value errors, where in the value: `args.items[3].price`. */
  readonly path: string | undefined;

  constructor(kind: ProtocolErrorKind, message: string, options?: { path?: string; cause?: unknown }) {
    super(`${kind}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.path = options?.path;
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * ProtocolError.is tells whether a value is a ProtocolError, also one made by another copy
   * of this package (another realm or a duplicated dependency), optionally of one kind.
   */
  static is(value: unknown, kind?: ProtocolErrorKind): value is ProtocolError {
    if (typeof value !== "object" || value === null) return false;
    if (!(value instanceof ProtocolError) && (value as Record<symbol, unknown>)[brand] !== true) return false;
    return kind === undefined || (value as ProtocolError).kind === kind;
  }
}
