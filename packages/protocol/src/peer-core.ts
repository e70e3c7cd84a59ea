// The state a Peer keeps, shared by the files that implement its transitions (peer-*.ts).
// Internal: not exported from the package.
import { FrameDecoder } from "./frame-decoder.js";
import { FrameEncoder } from "./frame-encoder.js";
import type { Error as WireError } from "./gen/polyproc/v1/error_pb.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import type { Hello } from "./gen/polyproc/v1/handshake_pb.js";
import { cancelFrame, goodbyeFrame, wireError } from "./frames.js";
import { DEFAULT_MAX_FRAME_BYTES, PROTOCOL_VERSION } from "./limits.js";
import type { CallId, PeerEvent, PeerOptions, PeerRole, PeerState } from "./peer-types.js";
import type { ErrorCode } from "./plugin-error.js";
import { ProtocolError } from "./protocol-error.js";

/** UNARY is the record of an open non-streaming call: a constant, so that such a call allocates nothing. */
export const UNARY = 0;
/** UNARY_CANCELLED is the record of an open non-streaming call that the caller has cancelled (§7). */
export const UNARY_CANCELLED = 1;

/**
 * StreamRecord is the record of an open streaming call (§10). `credit` is, for the caller,
 * the items granted and not yet received; for the callee, the items it may still send.
 */
export class StreamRecord {
  credit: number;
  cancelled = false;
  constructor(credit: number) {
    this.credit = credit;
  }
}

/** OpenCall is what a Peer keeps per open call, in either direction. */
export type OpenCall = typeof UNARY | typeof UNARY_CANCELLED | StreamRecord;

/** MAX_UINT32 bounds credit (§10.2), deadline_ms (§6) and the other uint32 fields. */
export const MAX_UINT32 = 0xffffffff;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** callIdOf turns a wire id into a CallId: a number when it is safe, else the bigint. */
export function callIdOf(id: bigint): CallId {
  return id <= MAX_SAFE ? Number(id) : id;
}

/** wireIdOf turns a CallId into the wire's uint64. */
export function wireIdOf(id: CallId): bigint {
  return typeof id === "number" ? BigInt(id) : id;
}

/** violation makes the error of a §15 close, its message naming the rule and the id. */
export function violation(message: string): ProtocolError {
  return new ProtocolError("PROTOCOL_VIOLATION", message);
}

/**
 * PeerCore holds a Peer's state: handshake progress, what was negotiated, the open calls of
 * both directions, pings, the frame codec and how the connection closed.
 */
export class PeerCore {
  readonly role: PeerRole;
  /** The other end, for messages: "plugin" on the host, "host" on the plugin. */
  readonly other: string;
  state: PeerState = "handshake";

  // §4: plugin: Hello sent; host: Hello received. `hello` is the Hello sent or received.
  helloDone = false;
  hello: Hello | undefined;
  /** The host's protocol range, for Reject (§4.4). */
  readonly minProtocol: number;
  readonly maxProtocol: number;
  /** The frame-size limit the host announces unless welcome() says otherwise; 0 is 16 MiB. */
  readonly announcedMaxFrameBytes: number;

  // §16.2: the negotiated capabilities.
  streaming = false;
  hostCalls = false;
  pluginCalls = false;
  pubsub = false;

  // §5.6: limits, 0 meaning none. Outgoing: what the other end announced; incoming: ours.
  maxOutgoingCalls = 0;
  maxOutgoingStreams = 0;
  maxIncomingCalls = 0;
  maxIncomingStreams = 0;

  /** Plugin: its functions by name, true when streaming (§5.8 checks 6 and 7). */
  readonly functions = new Map<string, boolean>();
  /** Plugin: the origin written into the Errors this side produces (§8.1). */
  originPlugin = "";
  originInstance = "";

  readonly outgoing = new Map<CallId, OpenCall>();
  outgoingStreams = 0;
  nextId = 1;
  readonly incoming = new Map<CallId, OpenCall>();
  incomingStreams = 0;

  /** Pings sent and not answered, seq to the `now` of ping(), oldest first (§11). */
  readonly pings = new Map<bigint, number>();
  nextSeq = 1n;

  /** Plugin, draining: the reason its Goodbye will give (§13.1.3). */
  drainReason = "";

  encoder: FrameEncoder;
  decoder: FrameDecoder;
  // Output encoded under the handshake's limit, waiting for takeOutput after the switch.
  private carried: Uint8Array | undefined;
  /** hasOutput tells whether frames are queued for takeOutput. */
  hasOutput = false;

  // §4: the first frame is read on its own, so that the limit can change right after it.
  firstLength = 0;
  firstHeaderBytes = 0;
  firstBodyLeft = 0;

  closeReason: string | undefined;
  closeClean = false;
  closeError: ProtocolError | undefined;
  closeDelivered = false;

  constructor(options: PeerOptions) {
    if (options.role !== "host" && options.role !== "plugin") {
      throw new TypeError(`PeerOptions.role must be "host" or "plugin", got ${JSON.stringify(options.role)}`);
    }
    this.role = options.role;
    this.other = options.role === "host" ? "plugin" : "host";
    this.minProtocol = options.minProtocol ?? PROTOCOL_VERSION;
    this.maxProtocol = options.maxProtocol ?? PROTOCOL_VERSION;
    if (!Number.isInteger(this.minProtocol) || this.minProtocol < 1 || this.maxProtocol < this.minProtocol || !Number.isInteger(this.maxProtocol)) {
      throw new RangeError(`PeerOptions.minProtocol and maxProtocol must be integers with 1 <= min <= max, got ${this.minProtocol}..${this.maxProtocol}`);
    }
    const limit = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    // §3.2.1: until the handshake completes the limit is at most 16 MiB.
    const handshakeLimit = Math.min(limit, DEFAULT_MAX_FRAME_BYTES);
    this.encoder = new FrameEncoder({ maxFrameBytes: handshakeLimit });
    this.decoder = new FrameDecoder({ maxFrameBytes: handshakeLimit });
    this.announcedMaxFrameBytes = options.maxFrameBytes ?? 0;
  }

  /** send queues a frame; FRAME_TOO_LARGE leaves the output as it was. */
  send(frame: Frame): void {
    this.encoder.add(frame);
    this.hasOutput = true;
  }

  /**
   * sendPlain queues a Call, Result or StreamItem frame whose Value field is unset, with the
   * Value toValue(value, root) makes written in its place (FrameEncoder.addPlain). It throws
   * what toValue throws, and FRAME_TOO_LARGE; either leaves the output as it was.
   */
  sendPlain(frame: Frame, value: unknown, root: string): void {
    this.encoder.addPlain(frame, value, root);
    this.hasOutput = true;
  }

  /** takeOutput returns every frame queued since the last call as one buffer. */
  takeOutput(): Uint8Array | undefined {
    if (!this.hasOutput) return undefined;
    this.hasOutput = false;
    const carried = this.carried;
    const fresh = this.encoder.flush();
    if (carried === undefined) return fresh;
    this.carried = undefined;
    const out = new Uint8Array(carried.byteLength + fresh.byteLength);
    out.set(carried, 0);
    out.set(fresh, carried.byteLength);
    return out;
  }

  /**
   * useFrameLimit applies Welcome.max_frame_bytes (§3.2.2) to the frames written and read
   * from now on; 0 means 16 MiB. Output queued before keeps the handshake's limit.
   */
  useFrameLimit(maxFrameBytes: number): void {
    const limit = maxFrameBytes === 0 ? DEFAULT_MAX_FRAME_BYTES : maxFrameBytes;
    if (this.hasOutput) this.carried = this.encoder.flush();
    this.encoder = new FrameEncoder({ maxFrameBytes: limit });
    this.decoder = new FrameDecoder({ maxFrameBytes: limit });
  }

  /** localError builds an Error this side produces, with this plugin's origin (§8.1). */
  localError(code: ErrorCode, message: string, retryable: boolean): WireError {
    return wireError({ code, message, retryable, originPlugin: this.originPlugin, originInstance: this.originInstance }, undefined);
  }

  /** canCall tells whether this side may send a Call now (§13.1.1: the host not after Shutdown). */
  get canCall(): boolean {
    return this.state === "open" || (this.state === "draining" && this.role === "plugin");
  }

  /** isClosed tells whether the connection is closed (read through a getter: it changes in calls). */
  get isClosed(): boolean {
    return this.state === "closed";
  }

  /** isOpen tells whether the handshake is done and the connection not closed. */
  get isOpen(): boolean {
    return this.state === "open" || this.state === "draining";
  }

  /** closeLocally makes the state closed; the close event comes from end() (or the caller). */
  closeLocally(reason: string, clean: boolean, error?: ProtocolError): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.closeReason = reason;
    this.closeClean = clean;
    this.closeError = error;
  }

  /**
   * closeForViolation closes after a protocol violation or decoding error (§15) and reports
   * it at once. After the handshake the host says Goodbye with the reason first (§13.2.5).
   */
  closeForViolation(error: ProtocolError, events: PeerEvent[]): void {
    if (this.role === "host" && this.isOpen) this.send(goodbyeFrame(shorten(error.message)));
    this.closeLocally(error.message, false, error);
    this.closeDelivered = true;
    events.push({ type: "close", clean: false, reason: error.message, error });
  }

  /**
   * sendGoodbye sends Goodbye as the last frame and closes (§13.2). A plugin cancels its own
   * open calls first (§13.1.6).
   */
  sendGoodbye(reason: string): void {
    if (this.role === "plugin") {
      for (const [id, call] of this.outgoing) {
        if (call === UNARY) this.outgoing.set(id, UNARY_CANCELLED);
        else if (call === UNARY_CANCELLED || call.cancelled) continue;
        else call.cancelled = true;
        this.send(cancelFrame(wireIdOf(id), "shutdown"));
      }
    }
    this.send(goodbyeFrame(shorten(reason)));
    // Clean for both ends when the plugin leaves (§13.3.4); the host's Goodbye ends a failure.
    this.closeLocally(`goodbye sent: ${reason}`, this.role === "plugin");
  }
}

// A Goodbye's reason is cut to 1024 characters, so that the frame fits any frame-size limit.
function shorten(reason: string): string {
  return reason.length <= 1024 ? reason : `${reason.slice(0, 1021)}...`;
}
