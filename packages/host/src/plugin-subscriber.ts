// One plugin connection's side of publish/subscribe in the host (PROTOCOL.md §12.3-§12.5):
// its patterns, its Publishes checked against its permissions, and delivery to it.
import { isValidPattern, isValidTopic, topicMatches, type PublishEvent, type SubscribeEvent } from "@polyproc/protocol";
import type { Logger } from "./logger.js";
import type { PluginPubsubConfig, PubsubConnection, Subscriber } from "./pubsub-broker.js";
import { SubscriberBuffer, type Message } from "./subscriber-buffer.js";

/** BrokerLink is what a PluginSubscriber asks of its broker. */
export interface BrokerLink {
  /** publish forwards a permitted message to every subscriber but `from` (§12.4.2). */
  publish(message: Message, from: PluginSubscriber): void;
  /** detach forgets the subscriber: its connection is gone. */
  detach(subscriber: PluginSubscriber): void;
}

/**
 * HIGH_WATER_BYTES: while more than this is written to a plugin's socket and not yet sent,
 * delivery to it waits for the socket to drain, so that messages wait in the bounded buffer
 * (and drop there) rather than pile up in the socket (§12.4.4).
 */
export const HIGH_WATER_BYTES = 1 << 20;

/** At most one warning per interval about a plugin's refused publishes (§12.5: rate-limited). */
const REFUSAL_WARNING_INTERVAL_MS = 1_000;

const METADATA_KEY = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * PluginSubscriber is the subscriber of one plugin connection that negotiated `pubsub`. Its
 * patterns are the connection's (§12.3.4: a restarted instance starts with its own Hello's);
 * the refused ones (invalid, not permitted, over the limit) are ignored with a warning (§12.5).
 */
export class PluginSubscriber implements Subscriber {
  readonly plugin: string;
  readonly patterns = new Set<string>();
  readonly buffer: SubscriberBuffer;
  /** Publishes of this connection forwarded, and refused (invalid topic or not permitted). */
  published = 0;
  refused = 0;
  private readonly log: Logger;
  private lastRefusalWarning = -Infinity;
  private unwarned = 0;

  constructor(
    private readonly connection: PubsubConnection,
    private readonly config: PluginPubsubConfig,
    private readonly broker: BrokerLink,
  ) {
    this.plugin = connection.plugin;
    this.log = connection.logger;
    const { bufferSize, policy } = config.pubsub;
    this.buffer = new SubscriberBuffer(bufferSize, policy, (message) => this.write(message), (error, message) => {
      this.log.warn("could not send a published message to the plugin", { topic: message.topic, error: error instanceof Error ? error.message : String(error) });
    });
  }

  /** matches tells whether one of the connection's patterns matches `topic`. */
  matches(topic: string): boolean {
    for (const pattern of this.patterns) if (topicMatches(pattern, topic)) return true;
    return false;
  }

  /** receive takes the connection's Publish, Subscribe and Unsubscribe events. */
  receive(event: PublishEvent | SubscribeEvent): void {
    if (event.type === "publish") this.onPublish(event);
    else if (event.type === "subscribe") this.subscribe(event.patterns, "Subscribe");
    else this.unsubscribe(event.patterns);
  }

  /** subscribe adds patterns (§12.3.1), ignoring with a warning the invalid, refused and excess ones (§12.5). */
  subscribe(patterns: readonly string[], source: string): void {
    const ignored = { invalid: [] as string[], refused: [] as string[], excess: [] as string[] };
    const limit = this.config.pubsub.maxSubscriptions;
    for (const pattern of patterns) {
      if (!isValidPattern(pattern)) ignored.invalid.push(pattern);
      else if (this.patterns.has(pattern)) continue;
      else if (!this.config.grants.allowsPattern("subscribe", pattern)) ignored.refused.push(pattern);
      else if (this.patterns.size >= limit) ignored.excess.push(pattern);
      else this.patterns.add(pattern);
    }
    if (ignored.invalid.length > 0) {
      this.log.warn(`ignored invalid patterns in the plugin's ${source} (PROTOCOL.md §12.2)`, { patterns: ignored.invalid });
    }
    if (ignored.refused.length > 0) {
      this.log.warn(`ignored patterns of the plugin's ${source} that its permissions do not allow: grant them in ${this.grantField("subscribe")}`, { patterns: ignored.refused });
    }
    if (ignored.excess.length > 0) {
      this.log.warn(`ignored patterns of the plugin's ${source} beyond its ${limit} subscriptions (pubsub.maxSubscriptions)`, { patterns: ignored.excess.slice(0, 10), ignored: ignored.excess.length });
    }
  }

  /** unsubscribe removes patterns by exact string (§12.3.1); an invalid one is ignored with a warning. */
  unsubscribe(patterns: readonly string[]): void {
    const invalid = patterns.filter((pattern) => !isValidPattern(pattern));
    if (invalid.length > 0) this.log.warn("ignored invalid patterns in the plugin's Unsubscribe (PROTOCOL.md §12.2)", { patterns: invalid });
    for (const pattern of patterns) this.patterns.delete(pattern);
  }

  /** detach takes the connection out of delivery (it closed). */
  detach(): void {
    this.broker.detach(this);
  }

  // §12.4.2, §12.5: check the topic and the permission, then forward with polyproc-caller.
  private onPublish(event: PublishEvent): void {
    if (!isValidTopic(event.topic)) {
      this.refused += 1;
      this.log.warn("dropped a Publish from the plugin with an invalid topic (PROTOCOL.md §12.1)", { topic: event.topic });
      return;
    }
    if (!this.config.grants.allows("publish", event.topic)) {
      this.refused += 1;
      this.warnRefused(event.topic);
      return;
    }
    this.published += 1;
    this.broker.publish({ topic: event.topic, value: event.value, metadata: forwardedMetadata(event.metadata, this.plugin) }, this);
  }

  private warnRefused(topic: string): void {
    const now = performance.now();
    if (now - this.lastRefusalWarning < REFUSAL_WARNING_INTERVAL_MS) {
      this.unwarned += 1;
      return;
    }
    this.lastRefusalWarning = now;
    const fields = { topic, alsoRefusedSinceLastWarning: this.unwarned, refused: this.refused };
    this.unwarned = 0;
    this.log.warn(`dropped a Publish on a topic the plugin may not publish on: grant it in ${this.grantField("publish")}`, fields);
  }

  private grantField(kind: "publish" | "subscribe"): string {
    return `the plugin's permissions.${kind} (plugins[].permissions.${kind} of the host options)`;
  }

  // Writes one message to the connection; while the socket is backed up, waits for it to drain.
  private write(message: Message): Promise<void> | undefined {
    const { connection } = this.connection;
    const state = connection.peer.state;
    // §12.4.1: never a message that none of the patterns match now (an Unsubscribe came in between).
    if ((state !== "open" && state !== "draining") || !this.matches(message.topic)) return undefined;
    connection.peer.publish(message.topic, message.value, message.metadata);
    connection.flushSoon();
    return connection.writeBacklog > HIGH_WATER_BYTES ? connection.drained() : undefined;
  }
}

/**
 * forwardedMetadata is a plugin's Publish metadata as the host forwards it (§12.4.6, §5.5):
 * keys that break the syntax and reserved keys dropped, `polyproc-caller` set to the plugin.
 */
export function forwardedMetadata(metadata: Readonly<Record<string, string>>, plugin: string): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (METADATA_KEY.test(key) && !key.startsWith("polyproc-")) forwarded[key] = value;
  }
  forwarded["polyproc-caller"] = plugin;
  return forwarded;
}
