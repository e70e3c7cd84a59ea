// The options of publish/subscribe delivery (PROTOCOL.md §1.4, §12.3, §12.4.4).

/**
 * BufferPolicy says what a subscriber's full buffer does with one more message (§12.4.4):
 * `drop-oldest` drops the oldest undelivered message; `block` makes the host application's
 * `publish` wait for room. Messages plugins publish are never blocked on: whatever the
 * policy, they drop the oldest (a plugin's connection is never stalled by another's slowness).
 */
export type BufferPolicy = "drop-oldest" | "block";

/** PubsubOptions configure the delivery of published messages (PluginHostOptions.pubsub, PluginConfig.pubsub). */
export interface PubsubOptions {
  /** The most undelivered messages held for one subscriber (§12.4.4). Default 1 024. */
  bufferSize?: number;
  /** What a full buffer does (see BufferPolicy). Default "drop-oldest". */
  policy?: BufferPolicy;
  /**
   * The most patterns one plugin connection may subscribe to; the excess of a Subscribe (or
   * Hello) is ignored with a warning (§12.3, §12.5). Default 1 024.
   */
  maxSubscriptions?: number;
}

/** ResolvedPubsubOptions are PubsubOptions with every default filled in. */
export type ResolvedPubsubOptions = Required<PubsubOptions>;

/** pubsubDefaults are the built-in PubsubOptions (§1.4). */
export const pubsubDefaults: ResolvedPubsubOptions = { bufferSize: 1024, policy: "drop-oldest", maxSubscriptions: 1024 };

const policies: readonly BufferPolicy[] = ["drop-oldest", "block"];

/**
 * checkPubsubOptions returns a message naming the first malformed field of a `pubsub`
 * option (named `field` in it), or undefined when it is well-formed or absent.
 */
export function checkPubsubOptions(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `${field} must be an object { bufferSize?, policy?, maxSubscriptions? }, got ${show(value)}`;
  for (const [key, option] of Object.entries(value)) {
    switch (key) {
      case "bufferSize":
      case "maxSubscriptions":
        if (option !== undefined && !(typeof option === "number" && Number.isSafeInteger(option) && option >= 1)) return `${field}.${key} must be an integer >= 1, got ${show(option)}`;
        break;
      case "policy":
        if (option !== undefined && !policies.includes(option as BufferPolicy)) return `${field}.policy must be "drop-oldest" or "block", got ${show(option)}`;
        break;
      default:
        return `${field}.${key} is not a pub/sub option; they are bufferSize, policy and maxSubscriptions`;
    }
  }
  return undefined;
}

/** resolvePubsubOptions merges the layers of PubsubOptions, later ones winning, over the defaults. */
export function resolvePubsubOptions(...layers: (PubsubOptions | undefined)[]): ResolvedPubsubOptions {
  const resolved = { ...pubsubDefaults };
  for (const layer of layers) {
    if (layer?.bufferSize !== undefined) resolved.bufferSize = layer.bufferSize;
    if (layer?.policy !== undefined) resolved.policy = layer.policy;
    if (layer?.maxSubscriptions !== undefined) resolved.maxSubscriptions = layer.maxSubscriptions;
  }
  return resolved;
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
