// The numbers of publish/subscribe delivery that PluginHost.stats reports (PROTOCOL.md §12.4.4).

/** PubsubCounts are the numbers of one publisher and subscriber: a plugin (all its instances) or the host application. */
export interface PubsubCounts {
  /** Messages it published that were accepted for delivery. */
  published: number;
  /** Messages handed to it (written to its connections, or run by its handlers). */
  delivered: number;
  /** Messages dropped because one of its buffers was full (§12.4.4). */
  dropped: number;
  /** Messages it published that the host refused: an invalid topic, or one it may not publish on (§12.5). Always 0 for the application. */
  refused: number;
}

/** PubsubSubscriberStats are PubsubCounts with the subscriptions in force now. */
export interface PubsubSubscriberStats extends PubsubCounts {
  /** Patterns subscribed now: over a plugin's live instances, or the application's subscriptions. */
  subscriptions: number;
}

/** PubsubStats describe publish/subscribe: totals, the application's own subscriptions, and each plugin. */
export interface PubsubStats {
  /** Messages accepted for delivery, from the application and from plugins. */
  published: number;
  /** Messages handed to subscribers, over all of them. */
  delivered: number;
  /** Messages dropped from full buffers, over all subscribers. */
  dropped: number;
  /** Plugin publishes refused, over all plugins. */
  refused: number;
  /** The host application's subscriptions, and what it published. */
  host: PubsubSubscriberStats;
  /** Each configured plugin, by name. */
  plugins: Record<string, PubsubSubscriberStats>;
}

/** emptyCounts returns zeroed PubsubCounts. */
export function emptyCounts(): PubsubCounts {
  return { published: 0, delivered: 0, dropped: 0, refused: 0 };
}
