// A plugin's publish/subscribe side (PROTOCOL.md §12): its subscriptions, their handlers, and
// publishing through the connection.

import { PluginError, isValidPattern, isValidTopic, topicMatches, type Peer, type PlainValue, type PublishEvent } from "@polyproc/protocol";
import type { Logger } from "./logger.js";

/** MessageInfo is what a subscription handler gets besides the message's value. */
export interface MessageInfo {
  /** topic is the topic the message was published on (§12.1). */
  readonly topic: string;
  /** metadata is the message's metadata (§12.4.6): `polyproc-caller` names the publishing plugin, absent when the host's application published it. */
  readonly metadata: Readonly<Record<string, string>>;
  /** logger writes JSON lines on stderr with the plugin, instance, pattern and topic. */
  readonly logger: Logger;
}

/**
 * SubscriptionHandler receives the messages of one subscription, one at a time in the order
 * they arrived: the next waits until the promise the handler returns (if any) has settled.
 * What it throws or rejects with is logged; it does not end the subscription.
 */
export type SubscriptionHandler = (value: PlainValue, info: MessageInfo) => unknown;

/** PublishOptions are the options of ctx.publish and plugin.publish. */
export interface PublishOptions {
  /**
   * metadata travels with the message (§12.4.6): lowercase keys `[a-z0-9][a-z0-9._-]*`, not
   * `polyproc-*`. In a handler, ctx.publish adds the call's `traceparent` and `tracestate`
   * unless they are given.
   */
  metadata?: Record<string, string>;
}

/** Publisher is how a plugin publishes: through its plugin object or a handler's ctx. */
export interface Publisher {
  publish(topic: string, value: PlainValue, options?: PublishOptions): void;
}

interface Entry {
  readonly pattern: string;
  readonly handler: SubscriptionHandler;
  /** The handler's run of the message before, so that messages are handled in order. */
  tail: Promise<void>;
}

interface Link {
  readonly peer: Peer;
  readonly flush: () => void;
  readonly logger: Logger;
  readonly pubsub: boolean;
}

const METADATA_KEY = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Subscriptions holds a plugin's subscriptions. Those made before the connection is welcomed
 * go out in Hello.subscriptions (or, when made after the Hello, in a Subscribe right after
 * Welcome); later ones in Subscribe and Unsubscribe frames (§12.3). A pattern is subscribed
 * on the wire while at least one handler uses it.
 */
export class Subscriptions implements Publisher {
  readonly #entries = new Set<Entry>();
  /** The patterns the host knows (sent in Hello or Subscribe) and how many handlers use each. */
  readonly #announced = new Map<string, number>();
  /** The patterns of the Hello, which the host knows from the start. */
  #inHello = new Set<string>();
  #link: Link | undefined;

  /** patterns are the distinct patterns subscribed so far. */
  patterns(): string[] {
    return [...new Set([...this.#entries].map((entry) => entry.pattern))];
  }

  /** helloPatterns returns the patterns for Hello.subscriptions, which the host then knows. */
  helloPatterns(): string[] {
    const patterns = this.patterns();
    this.#inHello = new Set(patterns);
    return patterns;
  }

  /**
   * connect starts using the welcomed connection: `pubsub` says whether the capability was
   * negotiated. Changes made between Hello and Welcome go out now, in Subscribe and
   * Unsubscribe (nothing may be sent before Welcome, §4.4 rule 1).
   */
  connect(peer: Peer, pubsub: boolean, flush: () => void, logger: Logger): void {
    this.#link = { peer, flush, logger, pubsub };
    for (const pattern of this.patterns()) this.#announced.set(pattern, this.#countOf(pattern));
    if (!pubsub) return;
    const added = [...this.#announced.keys()].filter((pattern) => !this.#inHello.has(pattern));
    const removed = [...this.#inHello].filter((pattern) => !this.#announced.has(pattern));
    if (added.length > 0) peer.subscribe(added);
    if (removed.length > 0) peer.unsubscribe(removed);
    if (added.length + removed.length > 0) flush();
  }

  /** add subscribes `handler` to `pattern` and returns the function that ends this subscription. */
  add(pattern: string, handler: SubscriptionHandler): () => void {
    if (typeof pattern !== "string" || !isValidPattern(pattern)) {
      throw new TypeError(
        `subscribe: ${JSON.stringify(pattern)} is not a valid topic pattern: dot-separated segments of [A-Za-z0-9_-], a whole segment may be "*" (one segment) and the last ">" (the rest), at most 255 bytes (PROTOCOL.md §12.2)`,
      );
    }
    if (typeof handler !== "function") throw new TypeError(`subscribe("${pattern}"): the handler must be a function, got ${typeof handler}`);
    const link = this.#link;
    if (link !== undefined && !link.pubsub) throw notNegotiated("subscribe");
    const entry: Entry = { pattern, handler, tail: Promise.resolve() };
    this.#entries.add(entry);
    this.#announce(pattern, +1);
    return () => {
      if (!this.#entries.delete(entry)) return;
      this.#announce(pattern, -1);
    };
  }

  /**
   * publish sends a message on `topic` (§12.4): it throws a PluginError INVALID_ARGUMENT for
   * an invalid topic or metadata (§12.3.3), FAILED_PRECONDITION before the connection is
   * welcomed or when the host did not negotiate `pubsub`.
   */
  publish(topic: string, value: PlainValue, options: PublishOptions = {}): void {
    if (typeof topic !== "string" || !isValidTopic(topic)) {
      throw new PluginError(
        "INVALID_ARGUMENT",
        `publish: ${JSON.stringify(topic)} is not a valid topic: dot-separated segments of [A-Za-z0-9_-], no wildcards, at most 255 bytes (PROTOCOL.md §12.1)`,
      );
    }
    const metadata = checkMetadata(options.metadata);
    const link = this.#link;
    if (link === undefined) throw new PluginError("FAILED_PRECONDITION", `publish("${topic}"): the plugin is not connected to a host yet; publish from handlers or after the host has welcomed it`);
    if (!link.pubsub) throw notNegotiated("publish");
    if (link.peer.state !== "open" && link.peer.state !== "draining") {
      throw new PluginError("UNAVAILABLE", `publish("${topic}"): the connection to the host is ${link.peer.state}`);
    }
    link.peer.publish(topic, value, metadata);
    link.flush();
  }

  /**
   * deliver hands a Publish from the host to the handlers whose pattern matches its topic,
   * each subscription in order, without blocking the read loop (§12.4.5). An invalid topic is
   * dropped with a warning, a message no pattern matches is ignored (§12.5, §15 #37).
   */
  deliver(event: PublishEvent): void {
    const logger = this.#link?.logger;
    if (logger === undefined) return;
    if (!isValidTopic(event.topic)) {
      logger.warn("dropped a Publish from the host with an invalid topic (PROTOCOL.md §12.5)", { topic: event.topic });
      return;
    }
    for (const entry of this.#entries) {
      if (!topicMatches(entry.pattern, event.topic)) continue;
      entry.tail = entry.tail.then(() => this.#run(entry, event, logger));
    }
  }

  async #run(entry: Entry, event: PublishEvent, base: Logger): Promise<void> {
    if (!this.#entries.has(entry)) return;
    const logger = base.child({ pattern: entry.pattern, topic: event.topic });
    try {
      await entry.handler(event.value, { topic: event.topic, metadata: event.metadata, logger });
    } catch (error) {
      logger.error(`the handler of subscription ${entry.pattern} failed: ${error instanceof Error ? error.message : String(error)}`, { error });
    }
  }

  #countOf(pattern: string): number {
    let count = 0;
    for (const entry of this.#entries) if (entry.pattern === pattern) count += 1;
    return count;
  }

  // Keeps the host's set of patterns equal to the patterns in use (§12.3.1); before Welcome,
  // Hello or connect() announces them.
  #announce(pattern: string, change: 1 | -1): void {
    const link = this.#link;
    if (link === undefined) return;
    const count = (this.#announced.get(pattern) ?? 0) + change;
    if (count > 0) {
      const isNew = !this.#announced.has(pattern);
      this.#announced.set(pattern, count);
      if (isNew && link.peer.state === "open") this.#send("subscribe", pattern, link);
      return;
    }
    this.#announced.delete(pattern);
    if (link.peer.state === "open") this.#send("unsubscribe", pattern, link);
  }

  #send(kind: "subscribe" | "unsubscribe", pattern: string, link: Link): void {
    if (kind === "subscribe") link.peer.subscribe([pattern]);
    else link.peer.unsubscribe([pattern]);
    link.flush();
  }
}

function notNegotiated(what: string): PluginError {
  return new PluginError(
    "FAILED_PRECONDITION",
    `${what}: the host did not negotiate the capability "pubsub" (PROTOCOL.md §16.2), so this plugin cannot publish or subscribe; use a host that offers it`,
  );
}

function checkMetadata(metadata: Record<string, string> | undefined): Record<string, string> | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== "object" || metadata === null) throw new PluginError("INVALID_ARGUMENT", "publish: options.metadata must be an object of strings");
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEY.test(key)) throw new PluginError("INVALID_ARGUMENT", `publish: metadata key "${key}" must be lowercase, matching [a-z0-9][a-z0-9._-]* (PROTOCOL.md §5.5)`);
    if (key.startsWith("polyproc-")) throw new PluginError("INVALID_ARGUMENT", `publish: metadata key "${key}" is reserved for the protocol (PROTOCOL.md §5.5.3); choose another`);
    if (typeof value !== "string") throw new PluginError("INVALID_ARGUMENT", `publish: metadata["${key}"] must be a string`);
  }
  return metadata;
}

/**
 * publishInContext publishes from a handler: the call's `traceparent` and `tracestate` go
 * along unless the options' metadata sets them (§12.4.6, §5.5.2).
 */
export function publishInContext(
  publisher: Publisher,
  callMetadata: Readonly<Record<string, string>>,
  topic: string,
  value: PlainValue,
  options: PublishOptions = {},
): void {
  const trace: Record<string, string> = {};
  for (const key of ["traceparent", "tracestate"]) {
    const carried = callMetadata[key];
    if (carried !== undefined && options.metadata?.[key] === undefined) trace[key] = carried;
  }
  if (Object.keys(trace).length === 0) return publisher.publish(topic, value, options);
  publisher.publish(topic, value, { ...options, metadata: { ...options.metadata, ...trace } });
}
