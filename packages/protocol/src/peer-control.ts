// The control frames of a Peer: Ping/Pong (PROTOCOL.md §11), Publish/Subscribe/Unsubscribe
// (§12), Shutdown and Goodbye (§13).
import type { Goodbye, Ping, Pong, Publish, Shutdown } from "./gen/polyproc/v1/control_pb.js";
import { pingFrame, pongFrame, publishFrame, shutdownFrame, subscribeFrame, unsubscribeFrame } from "./frames.js";
import { MAX_UINT32, type PeerCore, violation } from "./peer-core.js";
import type { PeerEvent } from "./peer-types.js";
import { isValidPattern, isValidTopic } from "./topics.js";
import { type PlainValue, fromValue, toValue } from "./value-mapping.js";

const NO_METADATA: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** sendPing sends a Ping with the next seq and remembers when (§11). */
export function sendPing(core: PeerCore, now: number): bigint {
  requireOpen(core, "ping()");
  const seq = core.nextSeq++;
  core.send(pingFrame(seq));
  core.pings.set(seq, now);
  return seq;
}

/** receivePing answers at once, in order (§11.2). */
export function receivePing(core: PeerCore, ping: Ping): void {
  core.send(pongFrame(ping.seq));
}

/**
 * receivePong reports the round trip of an outstanding Ping; Pings sent before it are
 * answered in order or never, so they are forgotten too. An unknown seq is ignored (§11.3).
 */
export function receivePong(core: PeerCore, pong: Pong, now: number, events: PeerEvent[]): void {
  const sentAt = core.pings.get(pong.seq);
  if (sentAt === undefined) return;
  for (const seq of core.pings.keys()) {
    core.pings.delete(seq);
    if (seq === pong.seq) break;
  }
  events.push({ type: "pong", seq: pong.seq, rttMs: now - sentAt });
}

/** sendPublish publishes a message (§12.4); the topic must be valid (§12.3.3). */
export function sendPublish(core: PeerCore, topic: string, value: PlainValue, metadata: Record<string, string> | undefined): void {
  requireOpen(core, "publish()");
  requirePubsub(core, "publish()");
  if (!isValidTopic(topic)) {
    throw new Error(`publish(): ${JSON.stringify(topic)} is not a valid topic: dot-separated segments of [A-Za-z0-9_-], at most 255 bytes, no wildcards (§12.1)`);
  }
  core.send(publishFrame(topic, toValue(value, "value"), metadata ?? NO_METADATA));
}

/** receivePublish delivers a message; its topic is as received (the receiver checks it, §12.5). */
export function receivePublish(core: PeerCore, publish: Publish, events: PeerEvent[]): void {
  if (!core.pubsub) throw violation(`the ${core.other} sent a Publish, but the capability "pubsub" was not negotiated (§12.5, §15 #21)`);
  events.push({ type: "publish", topic: publish.topic, value: fromValue(publish.value), metadata: publish.metadata });
}

/** sendSubscription sends a plugin's Subscribe or Unsubscribe (§12.3); every pattern must be valid. */
export function sendSubscription(core: PeerCore, type: "subscribe" | "unsubscribe", patterns: string[]): void {
  if (core.role !== "plugin") throw new Error(`${type}() is for plugins; the host's own subscribers are its application's (§12.3.2)`);
  requireOpen(core, `${type}()`);
  requirePubsub(core, `${type}()`);
  for (const pattern of patterns) {
    if (!isValidPattern(pattern)) {
      throw new Error(`${type}(): ${JSON.stringify(pattern)} is not a valid pattern: dot-separated segments of [A-Za-z0-9_-], whole segments "*", a last segment ">" (§12.2)`);
    }
  }
  core.send(type === "subscribe" ? subscribeFrame(patterns) : unsubscribeFrame(patterns));
}

/** receiveSubscription reports a plugin's Subscribe or Unsubscribe to the host (§12.3). */
export function receiveSubscription(core: PeerCore, type: "subscribe" | "unsubscribe", patterns: string[], events: PeerEvent[]): void {
  const frame = type === "subscribe" ? "Subscribe" : "Unsubscribe";
  if (core.role !== "host") throw violation(`the host sent ${frame}, which only a plugin sends (§12.3.2, §15 #10)`);
  if (!core.pubsub) throw violation(`the plugin sent ${frame}, but the capability "pubsub" was not negotiated (§12.5, §15 #21)`);
  events.push({ type, patterns });
}

/** sendShutdown asks the plugin to drain (§13.1); the host sends no new Calls afterwards. */
export function sendShutdown(core: PeerCore, graceMs: number, reason: string): void {
  if (core.role !== "host") throw new Error("shutdown() is sent by the host; a plugin leaves with drain() or goodbye() (§13.2)");
  if (core.state === "closed") return;
  requireOpen(core, "shutdown()");
  if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_UINT32) {
    throw new RangeError(`shutdown(): graceMs must be an integer from 0 to ${MAX_UINT32}, got ${graceMs}`);
  }
  core.send(shutdownFrame(graceMs, reason));
  core.state = "draining";
}

/**
 * receiveShutdown starts the plugin's drain (§13.1): it takes no new calls and says Goodbye
 * when its last incoming call is answered, at once when none is open.
 */
export function receiveShutdown(core: PeerCore, shutdown: Shutdown, events: PeerEvent[]): void {
  if (core.role !== "plugin") throw violation("the plugin sent Shutdown, which only the host sends (§13.1, §15 #10)");
  events.push({ type: "shutdown", graceMs: shutdown.graceMs, reason: shutdown.reason });
  startDrain(core, `shut down by the host: ${shutdown.reason}`);
}

/** startDrain makes a plugin take no new calls and leave after its last answer (§13.1.2, §13.2.1). */
export function startDrain(core: PeerCore, reason: string): void {
  if (core.role !== "plugin") throw new Error("drain() is how a plugin leaves; the host sends shutdown() (§13)");
  if (core.state === "draining" || core.state === "closed") return;
  requireOpen(core, "drain()");
  core.state = "draining";
  core.drainReason = reason;
  if (core.incoming.size === 0) core.sendGoodbye(reason);
}

/** sendGoodbye sends Goodbye as the last frame (§13.2); before the handshake it only closes. */
export function sendGoodbye(core: PeerCore, reason: string): void {
  if (core.state === "closed") return;
  if (core.state === "handshake") core.closeLocally(reason, false);
  else core.sendGoodbye(reason);
}

/** receiveGoodbye ends the connection; later frames are ignored (§13.2.4). */
export function receiveGoodbye(core: PeerCore, goodbye: Goodbye, events: PeerEvent[]): void {
  events.push({ type: "goodbye", reason: goodbye.reason });
  // The plugin's Goodbye ends the connection cleanly; the host's ends it for a failure (§13.2.5).
  core.closeLocally(`the ${core.other} said goodbye: ${goodbye.reason}`, core.role === "host");
}

function requireOpen(core: PeerCore, method: string): void {
  if (!core.isOpen) {
    throw new Error(`${method} needs a connection past its handshake; it is ${core.state}${core.closeReason === undefined ? "" : ` (${core.closeReason})`}`);
  }
}

function requirePubsub(core: PeerCore, method: string): void {
  if (!core.pubsub) throw new Error(`${method} needs the capability "pubsub", which was not negotiated (§16.2)`);
}
