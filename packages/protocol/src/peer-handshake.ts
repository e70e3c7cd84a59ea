// The handshake of a Peer (PROTOCOL.md §4): Hello, Welcome, Reject, and the checks of §15
// #7, #8 and #15.
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import type { Hello, Reject, Welcome } from "./gen/polyproc/v1/handshake_pb.js";
import { functionInfo, functionSpec, helloFrame, rejectFrame, welcomeFrame } from "./frames.js";
import { FRAME_HEADER_BYTES, PROTOCOL_VERSION } from "./limits.js";
import { MAX_UINT32, type PeerCore, violation } from "./peer-core.js";
import type { Capability, HelloInit, PeerEvent, WelcomeInit } from "./peer-types.js";
import { type ErrorCode, codeName, codeNumber, isErrorCode } from "./plugin-error.js";
import { fromValue, toValue } from "./value-mapping.js";

/** MIN_MAX_FRAME_BYTES is the smallest Welcome.max_frame_bytes other than 0 (§3.2.2). */
export const MIN_MAX_FRAME_BYTES = 65_536;

const EMPTY = new Uint8Array(0);

/** sendHello sends the plugin's Hello (§4.1) and records what it announces. */
export function sendHello(core: PeerCore, init: HelloInit): void {
  if (core.role !== "plugin") throw new Error("hello() is the plugin's first frame; a host Peer answers the Hello with welcome() or reject()");
  if (core.state !== "handshake" || core.helloDone) throw new Error("hello() was called twice; a plugin sends exactly one Hello, as its first frame (§4.4)");
  const minProtocol = init.minProtocol ?? PROTOCOL_VERSION;
  const maxProtocol = init.maxProtocol ?? PROTOCOL_VERSION;
  if (!Number.isInteger(minProtocol) || !Number.isInteger(maxProtocol) || minProtocol < 1 || minProtocol > maxProtocol) {
    throw new RangeError(`HelloInit.minProtocol and maxProtocol must be integers with 1 <= min <= max, got ${minProtocol}..${maxProtocol}`);
  }
  const maxConcurrency = uint32(init.maxConcurrency ?? 0, "HelloInit.maxConcurrency");
  const functions = init.functions ?? [];
  const hello: Hello = {
    $typeName: "polyproc.v1.Hello",
    token: init.token,
    minProtocol,
    maxProtocol,
    sdkLanguage: init.sdkLanguage,
    sdkVersion: init.sdkVersion,
    pluginName: init.pluginName,
    pluginVersion: init.pluginVersion ?? "",
    functions: functions.map(functionSpec),
    subscriptions: init.subscriptions ?? [],
    maxConcurrency,
    pid: init.pid ?? 0,
    capabilities: init.capabilities ?? [],
  };
  core.send(helloFrame(hello));
  core.hello = hello;
  core.helloDone = true;
  core.maxIncomingCalls = maxConcurrency;
  core.originPlugin = init.pluginName;
  for (const fn of functions) core.functions.set(fn.name, fn.streaming === true);
}

/** sendWelcome answers the Hello with Welcome (§4.4); the connection is then open. */
export function sendWelcome(core: PeerCore, init: WelcomeInit): void {
  const hello = awaitedHello(core, "welcome()");
  const protocol = init.protocol ?? PROTOCOL_VERSION;
  if (protocol < hello.minProtocol || protocol > hello.maxProtocol) {
    throw new RangeError(`WelcomeInit.protocol ${protocol} is outside the plugin's range ${hello.minProtocol}..${hello.maxProtocol}; use checkHello's version`);
  }
  const maxFrameBytes = uint32(init.maxFrameBytes ?? core.announcedMaxFrameBytes, "WelcomeInit.maxFrameBytes");
  if (maxFrameBytes !== 0 && maxFrameBytes < MIN_MAX_FRAME_BYTES) {
    throw new RangeError(`WelcomeInit.maxFrameBytes must be 0 (16 MiB) or at least ${MIN_MAX_FRAME_BYTES}, got ${maxFrameBytes} (§3.2)`);
  }
  const capabilities = intersect(init.capabilities ?? [], hello.capabilities);
  const hostCalls = capabilities.includes("host-calls");
  const welcome: Welcome = {
    $typeName: "polyproc.v1.Welcome",
    protocol,
    instanceId: init.instanceId,
    heartbeatIntervalMs: uint32(init.heartbeatIntervalMs ?? 0, "WelcomeInit.heartbeatIntervalMs"),
    maxFrameBytes,
    settings: init.settings === undefined ? undefined : toValue(init.settings, "settings"),
    hostFunctions: hostCalls ? (init.hostFunctions ?? []).map(functionSpec) : [],
    capabilities,
    maxCallsInFlight: uint32(init.maxCallsInFlight ?? 0, "WelcomeInit.maxCallsInFlight"),
    pluginName: init.pluginName ?? "",
    maxOpenStreams: uint32(init.maxOpenStreams ?? 0, "WelcomeInit.maxOpenStreams"),
  };
  core.send(welcomeFrame(welcome));
  useCapabilities(core, capabilities);
  core.maxIncomingCalls = welcome.maxCallsInFlight;
  core.maxIncomingStreams = welcome.maxOpenStreams;
  core.maxOutgoingCalls = hello.maxConcurrency;
  core.useFrameLimit(maxFrameBytes);
  core.state = "open";
}

/** sendReject answers the Hello with Reject (§4.4) and closes. */
export function sendReject(core: PeerCore, code: ErrorCode, message: string): void {
  awaitedHello(core, "reject()");
  if (!isErrorCode(code)) throw new TypeError(`reject() needs an error code name such as "UNAUTHENTICATED", got ${JSON.stringify(code)}`);
  core.send(rejectFrame(codeNumber(code), message, core.minProtocol, core.maxProtocol));
  core.closeLocally(`rejected the Hello: ${code}: ${message}`, false);
}

function awaitedHello(core: PeerCore, method: string): Hello {
  if (core.role !== "host") throw new Error(`${method} is the host's answer to a Hello; a plugin Peer cannot send it`);
  if (core.state !== "handshake" || core.hello === undefined) {
    throw new Error(`${method} answers the plugin's Hello: call it once, after the "hello" event (the connection is ${core.state})`);
  }
  return core.hello;
}

/**
 * receiveHandshake reads input before the handshake completes. It hands the decoder exactly
 * the first frame, so that Welcome's frame-size limit applies from the next byte on (§3.2.2),
 * and returns the bytes after it, to be read as frames of the open connection.
 */
export function receiveHandshake(core: PeerCore, chunk: Uint8Array, events: PeerEvent[]): Uint8Array {
  if (core.role === "plugin" && !core.helloDone) {
    throw violation("the host sent data before the plugin's Hello; the host must send nothing before it answers a Hello (§4.4 rule 2, §15 #8)");
  }
  if (core.role === "host" && core.helloDone) {
    throw violation("the plugin sent data after its Hello before the host answered it; a plugin must wait for Welcome (§4.4 rules 1 and 3, §15 #7)");
  }
  const take = firstFrameBytes(core, chunk);
  const frame = core.decoder.push(take === chunk.byteLength ? chunk : chunk.subarray(0, take))[0];
  if (frame === undefined) return EMPTY;
  const rest = chunk.subarray(take);
  if (core.role === "plugin") {
    receiveAnswer(core, frame, events);
    return rest;
  }
  receiveHello(core, frame, events);
  if (rest.byteLength > 0) {
    throw violation("the plugin sent data after its Hello before the host answered it; a plugin must wait for Welcome (§4.4 rules 1 and 3, §15 #7)");
  }
  return EMPTY;
}

// The number of bytes of `chunk` that belong to the first frame of the connection.
function firstFrameBytes(core: PeerCore, chunk: Uint8Array): number {
  let offset = 0;
  while (core.firstHeaderBytes < FRAME_HEADER_BYTES && offset < chunk.byteLength) {
    core.firstLength = core.firstLength * 256 + chunk[offset]!;
    offset++;
    if (++core.firstHeaderBytes === FRAME_HEADER_BYTES) core.firstBodyLeft = core.firstLength;
  }
  const body = Math.min(chunk.byteLength - offset, core.firstBodyLeft);
  core.firstBodyLeft -= body;
  return offset + body;
}

function receiveHello(core: PeerCore, frame: Frame, events: PeerEvent[]): void {
  if (frame.kind.case !== "hello") {
    throw violation(`the plugin's first frame is a ${String(frame.kind.case)}, not a Hello; a plugin must send Hello first (§4.4 rule 1, §15 #7)`);
  }
  const hello = frame.kind.value;
  core.hello = hello;
  core.helloDone = true;
  events.push({ type: "hello", hello, functions: hello.functions.map(functionInfo) });
}

function receiveAnswer(core: PeerCore, frame: Frame, events: PeerEvent[]): void {
  switch (frame.kind.case) {
    case "welcome":
      return receiveWelcome(core, frame.kind.value, events);
    case "reject":
      return receiveReject(core, frame.kind.value, events);
    default:
      throw violation(`the host's first frame is a ${String(frame.kind.case)}, not Welcome or Reject (§4.4 rule 3, §15 #8)`);
  }
}

function receiveWelcome(core: PeerCore, welcome: Welcome, events: PeerEvent[]): void {
  const hello = core.hello!;
  if (welcome.protocol < hello.minProtocol || welcome.protocol > hello.maxProtocol) {
    throw violation(`the host's Welcome chose protocol ${welcome.protocol}, outside the plugin's range ${hello.minProtocol}..${hello.maxProtocol} (§4.3.4, §15 #15)`);
  }
  if (welcome.maxFrameBytes !== 0 && welcome.maxFrameBytes < MIN_MAX_FRAME_BYTES) {
    throw violation(`the host's Welcome set max_frame_bytes ${welcome.maxFrameBytes}, below the smallest allowed ${MIN_MAX_FRAME_BYTES} (§3.2.2, §15 #15)`);
  }
  useCapabilities(core, intersect(welcome.capabilities, hello.capabilities));
  core.maxOutgoingCalls = welcome.maxCallsInFlight;
  core.maxOutgoingStreams = welcome.maxOpenStreams;
  core.originPlugin = welcome.pluginName !== "" ? welcome.pluginName : hello.pluginName;
  core.originInstance = welcome.instanceId;
  core.useFrameLimit(welcome.maxFrameBytes);
  core.state = "open";
  events.push({ type: "welcome", welcome, settings: fromValue(welcome.settings), hostFunctions: welcome.hostFunctions.map(functionInfo) });
}

function receiveReject(core: PeerCore, reject: Reject, events: PeerEvent[]): void {
  const reason = `the host rejected the Hello: ${codeName(reject.code)}: ${reject.message} (the host speaks protocol ${reject.minProtocol}..${reject.maxProtocol}, the plugin ${core.hello!.minProtocol}..${core.hello!.maxProtocol})`;
  events.push({ type: "reject", reject });
  core.closeLocally(reason, false);
  core.closeDelivered = true;
  events.push({ type: "close", clean: false, reason });
}

function useCapabilities(core: PeerCore, capabilities: readonly string[]): void {
  core.streaming = capabilities.includes("streaming");
  core.hostCalls = capabilities.includes("host-calls");
  core.pluginCalls = capabilities.includes("plugin-calls");
  core.pubsub = capabilities.includes("pubsub");
}

// The members of `wanted` that `offered` has too, without repeats (§16.2).
function intersect(wanted: readonly Capability[], offered: readonly string[]): Capability[] {
  const out: Capability[] = [];
  for (const capability of wanted) if (offered.includes(capability) && !out.includes(capability)) out.push(capability);
  return out;
}

function uint32(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_UINT32) throw new RangeError(`${name} must be an integer from 0 to ${MAX_UINT32}, got ${value}`);
  return value;
}
