import { Code } from "./gen/polyproc/v1/error_pb.js";
import type { PlainValue } from "./value-mapping.js";

/**
 * The error codes of PROTOCOL.md §8.2 by name (gRPC's numbering). UNSPECIFIED is never sent
 * and is read as UNKNOWN (§8.3).
 */
export const errorCodes = [
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

/** ErrorCode names one code of PROTOCOL.md §8.2. */
export type ErrorCode = (typeof errorCodes)[number];

/** ErrorInfo is the plain form of the wire's Error message (§8.1). */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Structured details for programs; absent when none. */
  details?: PlainValue;
  /** The plugin in which the error arose; empty or absent when it arose in the host. */
  originPlugin?: string;
  originInstance?: string;
  /** The failure is transient (§8.1): repeating the call unchanged may succeed. */
  retryable?: boolean;
}

/** codeNumber returns the wire number of a code name. */
export function codeNumber(code: ErrorCode): Code {
  return Code[code];
}

/** codeName returns the name of a wire code; 0 and unknown numbers read as UNKNOWN (§8.3). */
export function codeName(code: number): ErrorCode {
  const name = Code[code] as string | undefined;
  return name === undefined || code === Code.UNSPECIFIED ? "UNKNOWN" : (name as ErrorCode);
}

/** isErrorCode tells whether a string is one of the code names. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (errorCodes as readonly string[]).includes(value);
}

const brand = Symbol.for("@polyproc/protocol/PluginError");

/** PluginErrorOptions are the optional fields of a PluginError. */
export interface PluginErrorOptions {
  details?: PlainValue;
  retryable?: boolean;
  originPlugin?: string;
  originInstance?: string;
  /**
   * remote is true for an Error received from the peer, false (the default) for one this
   * process produced itself (§8.4).
   */
  remote?: boolean;
  cause?: unknown;
}

/**
 * PluginError is the one error type of a call's failure (PROTOCOL.md §8): a code from §8.2, a
 * message, optional details, the origin, and whether it is retryable. A handler throws one to
 * choose the code its caller sees; a caller receives one when a call fails, `remote` telling
 * an Error the peer sent from one produced locally (deadline, cancel, connection loss).
 */
export class PluginError extends Error {
  override name = "PluginError";
  readonly code: ErrorCode;
  readonly details: PlainValue | undefined;
  readonly retryable: boolean;
  readonly originPlugin: string;
  readonly originInstance: string;
  readonly remote: boolean;

  constructor(code: ErrorCode, message: string, options: PluginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
    this.originPlugin = options.originPlugin ?? "";
    this.originInstance = options.originInstance ?? "";
    this.remote = options.remote ?? false;
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * PluginError.is tells whether a value is a PluginError, also one made by another copy of
   * this package, optionally with one code.
   */
  static is(value: unknown, code?: ErrorCode): value is PluginError {
    if (typeof value !== "object" || value === null) return false;
    if (!(value instanceof PluginError) && (value as Record<symbol, unknown>)[brand] !== true) return false;
    return code === undefined || (value as PluginError).code === code;
  }

  /**
   * PluginError.from turns anything thrown into a PluginError (§8.1): a PluginError stays as
   * it is; anything else becomes INTERNAL with its message, not retryable, the original kept
   * as `cause`.
   */
  static from(value: unknown): PluginError {
    if (PluginError.is(value)) return value;
    const message = value instanceof Error ? value.message : typeof value === "string" ? value : `non-error thrown: ${describe(value)}`;
    return new PluginError("INTERNAL", message, { cause: value });
  }

  /** PluginError.fromInfo makes the error that a received Error message stands for. */
  static fromInfo(info: ErrorInfo, remote = true): PluginError {
    return new PluginError(info.code, info.message, { ...info, remote });
  }

  /** toInfo returns the fields that go on the wire. */
  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.details !== undefined) info.details = this.details;
    if (this.originPlugin !== "") info.originPlugin = this.originPlugin;
    if (this.originInstance !== "") info.originInstance = this.originInstance;
    return info;
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
