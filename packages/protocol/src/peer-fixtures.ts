// Helpers for the Peer's tests: frames built with create(), output decoded with FrameDecoder,
// and pairs of peers connected back to back. Not part of the package's build.
import { type MessageInitShape, create } from "@bufbuild/protobuf";
import { FrameDecoder } from "./frame-decoder.js";
import { encodeFrames } from "./frame-encoder.js";
import { CallSchema, CancelSchema, ResultSchema } from "./gen/polyproc/v1/call_pb.js";
import {
  GoodbyeSchema,
  PingSchema,
  PongSchema,
  PublishSchema,
  ShutdownSchema,
  SubscribeSchema,
  UnsubscribeSchema,
} from "./gen/polyproc/v1/control_pb.js";
import { type Code, ErrorSchema } from "./gen/polyproc/v1/error_pb.js";
import { type Frame, FrameSchema } from "./gen/polyproc/v1/frame_pb.js";
import { HelloSchema, RejectSchema, WelcomeSchema } from "./gen/polyproc/v1/handshake_pb.js";
import { CreditSchema, StreamEndSchema, StreamItemSchema } from "./gen/polyproc/v1/stream_pb.js";
import { Peer } from "./peer.js";
import type { Capability, HelloInit, PeerEvent, PeerOptions, WelcomeInit } from "./peer-types.js";
import { type PlainValue, toValue } from "./value-mapping.js";

/** NOW is the time the tests pass to the peers unless they test time. */
export const NOW = 1000;

/** TOKEN is a well-formed token. */
export const TOKEN = "ab".repeat(32);

/** wire builds input frames with create(), one builder per frame kind. */
export const wire = {
  hello: (init: MessageInitShape<typeof HelloSchema> = {}) =>
    frame({
      case: "hello",
      value: create(HelloSchema, { token: TOKEN, minProtocol: 1, maxProtocol: 1, sdkLanguage: "node", sdkVersion: "0.1.0", pluginName: "math", ...init }),
    }),
  welcome: (init: MessageInitShape<typeof WelcomeSchema> = {}) =>
    frame({ case: "welcome", value: create(WelcomeSchema, { protocol: 1, instanceId: "math-1", ...init }) }),
  reject: (init: MessageInitShape<typeof RejectSchema> = {}) => frame({ case: "reject", value: create(RejectSchema, init) }),
  call: (id: bigint, fn: string, init: CallFields = {}) => {
    const { args, ...rest } = init;
    const call = create(CallSchema, { ...rest, id, function: fn });
    if (args !== undefined) call.args = toValue(args, "args");
    return frame({ case: "call", value: call });
  },
  result: (id: bigint, value?: PlainValue) =>
    frame({ case: "result", value: create(ResultSchema, value === undefined ? { id } : { id, outcome: { case: "value", value: toValue(value) } }) }),
  resultError: (id: bigint, code: Code | number, message: string, init: Partial<{ retryable: boolean; originPlugin: string }> = {}) =>
    frame({ case: "result", value: create(ResultSchema, { id, outcome: { case: "error", value: create(ErrorSchema, { code, message, ...init }) } }) }),
  item: (id: bigint, value: PlainValue) => frame({ case: "streamItem", value: create(StreamItemSchema, { id, value: toValue(value) }) }),
  end: (id: bigint, error?: { code: Code | number; message: string }) =>
    frame({ case: "streamEnd", value: create(StreamEndSchema, { id, error: error === undefined ? undefined : create(ErrorSchema, error) }) }),
  credit: (id: bigint, items: number) => frame({ case: "credit", value: create(CreditSchema, { id, items }) }),
  cancel: (id: bigint, reason = "cancelled by caller") => frame({ case: "cancel", value: create(CancelSchema, { id, reason }) }),
  ping: (seq: bigint) => frame({ case: "ping", value: create(PingSchema, { seq }) }),
  pong: (seq: bigint) => frame({ case: "pong", value: create(PongSchema, { seq }) }),
  publish: (topic: string, value: PlainValue) => frame({ case: "publish", value: create(PublishSchema, { topic, value: toValue(value) }) }),
  subscribe: (patterns: string[]) => frame({ case: "subscribe", value: create(SubscribeSchema, { patterns }) }),
  unsubscribe: (patterns: string[]) => frame({ case: "unsubscribe", value: create(UnsubscribeSchema, { patterns }) }),
  shutdown: (graceMs: number, reason = "host closing") => frame({ case: "shutdown", value: create(ShutdownSchema, { graceMs, reason }) }),
  goodbye: (reason = "bye") => frame({ case: "goodbye", value: create(GoodbyeSchema, { reason }) }),
};

/** CallFields are the fields of a Call other than id and function, args as a plain value. */
export interface CallFields {
  target?: string;
  args?: PlainValue;
  deadlineMs?: number;
  metadata?: Record<string, string>;
  streaming?: boolean;
  initialCredit?: number;
}

function frame(kind: Frame["kind"]): Frame {
  return create(FrameSchema, { kind } as MessageInitShape<typeof FrameSchema>);
}

/** bytes encodes frames as the transport would carry them. */
export function bytes(...frames: Frame[]): Uint8Array {
  return encodeFrames(frames);
}

/** feed gives frames, as bytes, to a peer and returns its events. */
export function feed(peer: Peer, ...frames: Frame[]): PeerEvent[] {
  return peer.receive(bytes(...frames), NOW);
}

/** sent decodes everything the peer queued since the last takeOutput. */
export function sent(peer: Peer): Frame[] {
  const out = peer.takeOutput();
  if (out === undefined) return [];
  const decoder = new FrameDecoder({ maxFrameBytes: 0xffffffff });
  const frames = decoder.push(out);
  decoder.end();
  return frames;
}

/** kinds names the kinds of frames, for short assertions. */
export function kinds(frames: Frame[]): (string | undefined)[] {
  return frames.map((f) => f.kind.case);
}

/** pump moves what `from` queued into `to` and returns `to`'s events. */
export function pump(from: Peer, to: Peer, now = NOW): PeerEvent[] {
  const out = from.takeOutput();
  return out === undefined ? [] : to.receive(out, now);
}

/** helloInit is a plugin's Hello with every capability and two functions, one streaming. */
export function helloInit(init: Partial<HelloInit> = {}): HelloInit {
  return {
    token: TOKEN,
    sdkLanguage: "node",
    sdkVersion: "0.1.0",
    pluginName: "math",
    functions: [{ name: "add" }, { name: "count", streaming: true }],
    capabilities: allFour,
    ...init,
  };
}

const allFour: Capability[] = ["streaming", "host-calls", "plugin-calls", "pubsub"];

/** welcomeInit is a host's Welcome granting every capability. */
export function welcomeInit(init: Partial<WelcomeInit> = {}): WelcomeInit {
  return { instanceId: "math-1", capabilities: allFour, ...init };
}

/** openPair makes a host and a plugin Peer and runs the handshake between them. */
export function openPair(hello: Partial<HelloInit> = {}, welcome: Partial<WelcomeInit> = {}, options: Partial<PeerOptions> = {}): { host: Peer; plugin: Peer } {
  const host = new Peer({ ...options, role: "host" });
  const plugin = new Peer({ ...options, role: "plugin" });
  plugin.hello(helloInit(hello));
  pump(plugin, host);
  host.welcome(welcomeInit(welcome));
  pump(host, plugin);
  return { host, plugin };
}

/** closeOf returns what the close event among `events` says, or undefined when there is none. */
export function closeOf(events: PeerEvent[]): { kind: string | undefined; reason: string; clean: boolean } | undefined {
  const close = events.find((e) => e.type === "close");
  return close === undefined ? undefined : { kind: close.error?.kind, reason: close.reason, clean: close.clean };
}

/** callOf returns the Call a frame holds, failing the test for any other frame. */
export function callOf(frame: Frame | undefined) {
  if (frame?.kind.case !== "call") throw new Error(`expected a Call, got ${frame?.kind.case}`);
  return frame.kind.value;
}


/** resultOf returns the Result a frame holds, failing the test for any other frame. */
export function resultOf(frame: Frame | undefined) {
  if (frame?.kind.case !== "result") throw new Error(`expected a Result, got ${frame?.kind.case}`);
  return frame.kind.value;
}


/** errorOf returns the Error of the Result a frame holds, failing the test for any other frame. */
export function errorOf(frame: Frame | undefined) {
  if (frame?.kind.case !== "result" || frame.kind.value.outcome.case !== "error") throw new Error(`expected an error Result, got ${frame?.kind.case}`);
  return frame.kind.value.outcome.value;
}
