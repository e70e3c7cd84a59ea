// The host's publish/subscribe hub (PROTOCOL.md §12): every subscriber (plugin connections and
// the application's own subscriptions), fan-out with per-subscriber buffers, and the counts.
import { PluginError, isValidPattern, isValidTopic, toValue, topicMatches, type PlainValue } from "@polyproc/protocol";
import type { PeerConnection } from "@polyproc/protocol/node";
import type { Logger } from "./logger.js";
import { Grants } from "./permissions.js";
import type { ResolvedPluginConfig } from "./plugin-options.js";
import { PluginSubscriber } from "./plugin-subscriber.js";
import { checkPubsubOptions, resolvePubsubOptions, type PubsubOptions, type ResolvedPubsubOptions } from "./pubsub-options.js";
import { emptyCounts, type PubsubCounts, type PubsubStats } from "./pubsub-stats.js";
import { SubscriberBuffer, type Message } from "./subscriber-buffer.js";

/** MessageInfo is what a host subscription's handler gets besides the value. */
export interface MessageInfo {
  topic: string;
  /** The message's metadata: `polyproc-caller` names the publishing plugin, absent for the application's messages (§12.4.6). */
  metadata: Readonly<Record<string, string>>;
}

/** MessageHandler receives one message of a host subscription; the next waits for the promise it returns, if any. */
export type MessageHandler = (value: PlainValue, info: MessageInfo) => unknown;

/** PublishOptions are the options of PluginHost.publish. */
export interface PublishOptions {
  /** Metadata for the subscribers (§12.4.6): lowercase keys `[a-z0-9][a-z0-9._-]*`, not `polyproc-*`. */
  metadata?: Record<string, string>;
}

/** SubscribeOptions are the options of PluginHost.subscribe: this subscription's buffer (default: PluginHostOptions.pubsub). */
export type SubscribeOptions = Pick<PubsubOptions, "bufferSize" | "policy">;

/** Subscription is one subscription of the host application (PluginHost.subscribe). */
export interface Subscription {
  readonly pattern: string;
  /** Messages dropped because this subscription's buffer was full (§12.4.4). */
  readonly dropped: number;
  /** Messages handed to the handler. */
  readonly delivered: number;
  /** unsubscribe ends the subscription: undelivered messages are dropped. Calling it again does nothing. */
  unsubscribe(): void;
}

/** Subscriber is any receiver of messages: a plugin connection or a host subscription. */
export interface Subscriber {
  /** The plugin whose connection it is; undefined for the application's subscriptions. */
  readonly plugin: string | undefined;
  readonly buffer: SubscriberBuffer;
  matches(topic: string): boolean;
}

/** PluginPubsubConfig is what the broker knows of one configured plugin. */
export interface PluginPubsubConfig {
  name: string;
  grants: Grants;
  pubsub: ResolvedPubsubOptions;
}

/** PubsubConnection is a welcomed plugin connection that negotiated `pubsub`. */
export interface PubsubConnection {
  plugin: string;
  instanceId: string;
  connection: PeerConnection;
  /** Hello.subscriptions, already valid patterns (§4.4). */
  subscriptions: readonly string[];
  logger: Logger;
}

/** PubsubAttach is how an instance joins the broker once welcomed. */
export interface PubsubAttach {
  attach(connection: PubsubConnection): PluginSubscriber;
}

const METADATA_KEY = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * PubsubBroker delivers every published message to each subscriber whose patterns match its
 * topic, once, except the publishing connection (§12.4.1, §12.4.2), through the subscriber's
 * bounded buffer, and counts what it published, delivered, dropped and refused.
 */
export class PubsubBroker implements PubsubAttach {
  private readonly subscribers = new Set<Subscriber>();
  private readonly plugins = new Map<string, PluginPubsubConfig>();
  /** Counts of subscribers that are gone, per plugin name ("" for the application). */
  private readonly retired = new Map<string, PubsubCounts>();
  private published = 0;

  constructor(
    plugins: PluginPubsubConfig[],
    private readonly hostOptions: ResolvedPubsubOptions,
    private readonly logger: Logger,
  ) {
    for (const plugin of plugins) {
      this.plugins.set(plugin.name, plugin);
      this.retired.set(plugin.name, emptyCounts());
    }
    this.retired.set("", emptyCounts());
  }

  /**
   * forConfigs makes the broker of a host: each plugin's permissions (named by its place in
   * PluginHostOptions.plugins in messages) and pub/sub options, and the host's own options.
   */
  static forConfigs(configs: readonly ResolvedPluginConfig[], hostOptions: PubsubOptions | undefined, logger: Logger): PubsubBroker {
    const plugins = configs.map((config, index) => ({
      name: config.name,
      grants: new Grants(config.name, config.permissions, `plugins[${index}].permissions`),
      pubsub: config.pubsub,
    }));
    return new PubsubBroker(plugins, resolvePubsubOptions(hostOptions), logger);
  }

  /**
   * setPlugin replaces what the broker knows of one plugin (host.load, host.reload) or, given
   * undefined, forgets it (host.unload), and returns what it knew. Connections already
   * attached keep the permissions they were attached with.
   */
  setPlugin(name: string, config: PluginPubsubConfig | undefined): PluginPubsubConfig | undefined {
    const previous = this.plugins.get(name);
    if (config === undefined) this.plugins.delete(name);
    else this.plugins.set(name, config);
    if (!this.retired.has(name)) this.retired.set(name, emptyCounts());
    return previous;
  }

  /** publish is PluginHost.publish: it resolves when every matching subscriber's buffer took the message. */
  publish(topic: string, value: PlainValue, options: PublishOptions = {}): Promise<void> {
    const invalid = checkPublish(topic, value, options);
    if (invalid !== undefined) return Promise.reject(invalid);
    (this.retired.get("") as PubsubCounts).published += 1;
    const waits = this.fanOut({ topic, value, metadata: { ...options.metadata } }, undefined);
    return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => undefined);
  }

  /**
   * fanOut offers a message to every matching subscriber but `from` (the publishing
   * connection, §12.4.2). Only the application's messages (`from` undefined) may block.
   */
  fanOut(message: Message, from: Subscriber | undefined): Promise<void>[] {
    this.published += 1;
    const waits: Promise<void>[] = [];
    for (const subscriber of this.subscribers) {
      if (subscriber === from || !subscriber.matches(message.topic)) continue;
      const wait = subscriber.buffer.offer(message, from === undefined);
      if (wait !== undefined) waits.push(wait);
    }
    return waits;
  }

  /** subscribe is PluginHost.subscribe. */
  subscribe(pattern: string, handler: MessageHandler, options: SubscribeOptions = {}): Subscription {
    if (typeof pattern !== "string" || !isValidPattern(pattern)) {
      throw new TypeError(
        `host.subscribe: ${JSON.stringify(pattern)} is not a valid pattern: dot-separated segments of [A-Za-z0-9_-], a whole segment "*" for one segment, a last ">" for the rest, at most 255 bytes (PROTOCOL.md §12.2)`,
      );
    }
    if (typeof handler !== "function") throw new TypeError(`host.subscribe("${pattern}"): the handler must be a function, got ${typeof handler}`);
    const problem = checkPubsubOptions(options, "host.subscribe options");
    if (problem !== undefined) throw new TypeError(problem);
    const { bufferSize, policy } = resolvePubsubOptions(this.hostOptions, options);
    const log = this.logger.child({ pattern });
    const buffer = new SubscriberBuffer(bufferSize, policy, (message) => handler(message.value, { topic: message.topic, metadata: message.metadata }) as void, (error, message) => {
      log.error("a host subscription's handler failed", { topic: message.topic, error });
    });
    const subscriber: Subscriber = { plugin: undefined, buffer, matches: (topic) => topicMatches(pattern, topic) };
    this.subscribers.add(subscriber);
    return {
      pattern,
      get dropped() {
        return buffer.dropped;
      },
      get delivered() {
        return buffer.delivered;
      },
      unsubscribe: () => this.remove(subscriber),
    };
  }

  /** attach makes the subscriber of a plugin connection that negotiated `pubsub`; it takes the Hello's subscriptions. */
  attach(connection: PubsubConnection): PluginSubscriber {
    const config = this.plugins.get(connection.plugin);
    if (config === undefined) throw new Error(`pub/sub: no plugin named ${connection.plugin} is configured`);
    const subscriber = new PluginSubscriber(connection, config, {
      publish: (message, from) => void this.fanOut(message, from),
      detach: (gone) => this.remove(gone),
    });
    this.subscribers.add(subscriber);
    subscriber.subscribe(connection.subscriptions, "Hello.subscriptions");
    return subscriber;
  }

  /** close ends every subscription: undelivered messages are dropped and blocked publishers released. */
  close(): void {
    for (const subscriber of [...this.subscribers]) this.remove(subscriber);
  }

  /** stats counts what was published, delivered, dropped and refused, per plugin and in all. */
  stats(): PubsubStats {
    const plugins: PubsubStats["plugins"] = {};
    for (const name of this.plugins.keys()) plugins[name] = { ...(this.retired.get(name) as PubsubCounts), subscriptions: 0 };
    const host = { ...(this.retired.get("") as PubsubCounts), subscriptions: 0 };
    for (const subscriber of this.subscribers) {
      const counts = subscriber.plugin === undefined ? host : plugins[subscriber.plugin];
      if (counts === undefined) continue;
      counts.dropped += subscriber.buffer.dropped;
      counts.delivered += subscriber.buffer.delivered;
      counts.subscriptions += subscriber instanceof PluginSubscriber ? subscriber.patterns.size : 1;
      if (subscriber instanceof PluginSubscriber) counts.refused += subscriber.refused;
      if (subscriber instanceof PluginSubscriber) counts.published += subscriber.published;
    }
    const all = [host, ...Object.values(plugins)];
    const sum = (key: keyof PubsubCounts) => all.reduce((total, counts) => total + counts[key], 0);
    return { published: this.published, delivered: sum("delivered"), dropped: sum("dropped"), refused: sum("refused"), host, plugins };
  }

  private remove(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    subscriber.buffer.close();
    const retired = this.retired.get(subscriber.plugin ?? "") as PubsubCounts;
    retired.dropped += subscriber.buffer.dropped;
    retired.delivered += subscriber.buffer.delivered;
    if (subscriber instanceof PluginSubscriber) {
      retired.refused += subscriber.refused;
      retired.published += subscriber.published;
    }
  }
}

/** checkPublish returns INVALID_ARGUMENT naming what is wrong with PluginHost.publish's arguments, or undefined. */
function checkPublish(topic: string, value: PlainValue, options: PublishOptions): PluginError | undefined {
  if (typeof topic !== "string" || !isValidTopic(topic)) {
    return new PluginError("INVALID_ARGUMENT", `host.publish: ${JSON.stringify(topic)} is not a valid topic: dot-separated segments of [A-Za-z0-9_-], no wildcards, at most 255 bytes (PROTOCOL.md §12.1)`);
  }
  try {
    toValue(value, "value");
  } catch (error) {
    return new PluginError("INVALID_ARGUMENT", `host.publish("${topic}"): ${(error as Error).message}`, { cause: error });
  }
  if (typeof options !== "object" || options === null) return new PluginError("INVALID_ARGUMENT", "host.publish: options must be an object { metadata? }");
  for (const [key, text] of Object.entries(options.metadata ?? {})) {
    if (!METADATA_KEY.test(key)) return new PluginError("INVALID_ARGUMENT", `host.publish: metadata key "${key}" must be lowercase, matching [a-z0-9][a-z0-9._-]* (§5.5)`);
    if (key.startsWith("polyproc-")) return new PluginError("INVALID_ARGUMENT", `host.publish: metadata key "${key}" is reserved for the protocol (§5.5.3); choose another`);
    if (typeof text !== "string") return new PluginError("INVALID_ARGUMENT", `host.publish: metadata["${key}"] must be a string`);
  }
  return undefined;
}
