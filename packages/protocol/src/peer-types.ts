import type { Hello, Reject, Welcome } from "./gen/polyproc/v1/handshake_pb.js";
import type { ErrorInfo } from "./plugin-error.js";
import type { ProtocolError } from "./protocol-error.js";
import type { PlainValue } from "./value-mapping.js";

/**
 * CallId identifies a call within its caller's id space (PROTOCOL.md §5.2): a number when it
 * is at most Number.MAX_SAFE_INTEGER (always so for ids this peer chooses), else a bigint.
 */
export type CallId = number | bigint;

/** PeerRole is the end of the connection a Peer plays. */
export type PeerRole = "host" | "plugin";

/**
 * PeerState is where a Peer is in the connection's life:
 * - `handshake`: before Welcome/Reject (host: waiting for Hello, then answering; plugin:
 *   Hello to send, then waiting for Welcome);
 * - `open`: calls flow both ways;
 * - `draining`: Shutdown sent (host) or received (plugin); see §13;
 * - `closed`: the connection is done; the I/O layer writes what takeOutput returns and
 *   closes the transport. Nothing is sent or received afterwards.
 */
export type PeerState = "handshake" | "open" | "draining" | "closed";

/** A capability string of §16.2. */
export type Capability = "streaming" | "host-calls" | "plugin-calls" | "pubsub" | (string & {});

/** The capabilities this version defines (§16.2). */
export const allCapabilities: readonly Capability[] = ["streaming", "host-calls", "plugin-calls", "pubsub"];

/** FunctionInfo is the plain form of a FunctionSpec (§4.1). */
export interface FunctionInfo {
  name: string;
  description?: string;
  /** JSON Schema of the arguments as JSON text; empty when unknown. */
  paramsSchema?: string;
  /** JSON Schema of the result (a streaming function: of one item); empty when unknown. */
  resultSchema?: string;
  streaming?: boolean;
  idempotent?: boolean;
}

/** HelloInit is what a plugin announces in its Hello (§4.1). */
export interface HelloInit {
  token: string;
  /** Default 1..1. */
  minProtocol?: number;
  maxProtocol?: number;
  sdkLanguage: string;
  sdkVersion: string;
  pluginName: string;
  pluginVersion?: string;
  functions?: FunctionInfo[];
  subscriptions?: string[];
  /** The most calls the plugin runs at once; 0 or absent: no limit (§5.6). */
  maxConcurrency?: number;
  pid?: number;
  capabilities?: Capability[];
}

/** WelcomeInit is what the host answers to an accepted Hello (§4.4). */
export interface WelcomeInit {
  protocol?: number;
  instanceId: string;
  heartbeatIntervalMs?: number;
  /** The frame-size limit from now on; 0 or absent: 16 MiB (§3.2). */
  maxFrameBytes?: number;
  settings?: PlainValue;
  hostFunctions?: FunctionInfo[];
  /** Already the intersection with the Hello's (§16.2). */
  capabilities?: Capability[];
  maxCallsInFlight?: number;
  pluginName?: string;
  maxOpenStreams?: number;
}

/** CallInit describes an outgoing call (§5.1). */
export interface CallInit {
  function: string;
  /** A plugin's call routed to another plugin (§5.4); empty or absent otherwise. */
  target?: string;
  args?: PlainValue;
  /** The absolute deadline on the clock of the `now` arguments; absent: none (§6). */
  deadline?: number;
  metadata?: Record<string, string>;
  streaming?: boolean;
  /** Default 32 for a streaming call (§10.6). */
  initialCredit?: number;
}

/** PeerEvent is what a Peer reports after input: one of the interfaces below. */
export type PeerEvent =
  | HelloEvent
  | WelcomeEvent
  | RejectEvent
  | CallEvent
  | CancelEvent
  | CreditEvent
  | ResultEvent
  | ErrorEvent
  | ItemEvent
  | EndEvent
  | PongEvent
  | PublishEvent
  | SubscribeEvent
  | ShutdownEvent
  | GoodbyeEvent
  | CloseEvent;

/** Host side: the plugin's Hello arrived; answer with welcome() or reject() (§4). */
export interface HelloEvent {
  type: "hello";
  hello: Hello;
  functions: FunctionInfo[];
}

/** Plugin side: the host welcomed the plugin; the peer is now open (§4.4). */
export interface WelcomeEvent {
  type: "welcome";
  welcome: Welcome;
  settings: PlainValue;
  hostFunctions: FunctionInfo[];
}

/** Plugin side: the host rejected the Hello; a close event follows (§4.4.5). */
export interface RejectEvent {
  type: "reject";
  reject: Reject;
}

/**
 * A call for this side to run, already past the checks of §5.8 that the peer makes itself.
 * Answer it with result()/fail(), or item()s and endStream() when `streaming`.
 */
export interface CallEvent {
  type: "call";
  id: CallId;
  function: string;
  target: string;
  args: PlainValue;
  /** The local absolute deadline (receipt `now` + deadline_ms); absent when none (§6.2). */
  deadline?: number;
  metadata: Record<string, string>;
  streaming: boolean;
}

/** The caller cancelled an open incoming call (§7); its answer is still owed. */
export interface CancelEvent {
  type: "cancel";
  id: CallId;
  reason: string;
}

/** The caller granted items on an open incoming stream (§10.2). */
export interface CreditEvent {
  type: "credit";
  id: CallId;
  items: number;
  /** The credit now available to send items. */
  credit: number;
}

/** The value that ends an outgoing non-streaming call (§5.3). */
export interface ResultEvent {
  type: "result";
  id: CallId;
  value: PlainValue;
  /** This side had cancelled the call: the answer is to be discarded (§7.4). */
  cancelled: boolean;
}

/** The Error that ends an outgoing non-streaming call (§5.3). */
export interface ErrorEvent {
  type: "error";
  id: CallId;
  error: ErrorInfo;
  cancelled: boolean;
}

/** One item of an outgoing streaming call (§10). */
export interface ItemEvent {
  type: "item";
  id: CallId;
  value: PlainValue;
  cancelled: boolean;
}

/** The end of an outgoing streaming call, with its Error if it failed (§10.3). */
export interface EndEvent {
  type: "end";
  id: CallId;
  error?: ErrorInfo;
  cancelled: boolean;
}

/** The answer to one of this side's Pings (§11). */
export interface PongEvent {
  type: "pong";
  seq: bigint;
  /** now at receipt minus now at ping(). */
  rttMs: number;
}

/** A message published to this side (§12). */
export interface PublishEvent {
  type: "publish";
  topic: string;
  value: PlainValue;
  metadata: Record<string, string>;
}

/** Host side: the plugin changed its subscriptions (§12.3). */
export interface SubscribeEvent {
  type: "subscribe" | "unsubscribe";
  patterns: string[];
}

/** Plugin side: the host asked the plugin to drain and leave (§13.1). */
export interface ShutdownEvent {
  type: "shutdown";
  graceMs: number;
  reason: string;
}

/** The peer said Goodbye (§13.2); on the host, a close event follows when the plugin closes. */
export interface GoodbyeEvent {
  type: "goodbye";
  reason: string;
}

/**
 * The connection is over: write what takeOutput returns, then close the transport. `clean`
 * is true after a completed Goodbye (§13), false for a violation (`error` says which, §15),
 * a Reject, or a local close().
 */
export interface CloseEvent {
  type: "close";
  clean: boolean;
  reason: string;
  error?: ProtocolError;
}

/** PeerOptions configures a Peer. Limits that the handshake announces are taken from it. */
export interface PeerOptions {
  role: PeerRole;
  /**
   * The frame-size limit before the handshake and, on the host, the value it announces
   * unless welcome() says otherwise. Default 16 MiB (§3.2). Before the handshake at most
   * 16 MiB applies, whatever this says; the host's announced value must be 0 or at least
   * 65 536 (welcome() checks).
   */
  maxFrameBytes?: number;
  /**
   * The host's protocol range, sent in Reject (§4.4). Default 1..1. The plugin's range is in
   * its HelloInit.
   */
  minProtocol?: number;
  maxProtocol?: number;
}
