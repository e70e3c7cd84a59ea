// Two Peers back to back in memory, a plugin and a host, for tests of the SDK's calls without
// sockets or processes: what one side queues reaches the other when the test moves it.

import { Peer, type PeerEvent, type WelcomeInit } from "@polyproc/protocol";

/** PeerPair is a plugin Peer welcomed by a host Peer; their frames move when flushed. */
export class PeerPair {
  readonly host = new Peer({ role: "host" });
  readonly plugin = new Peer({ role: "plugin" });
  /** Every event the host side reported, in order. */
  readonly hostEvents: PeerEvent[] = [];
  /** Receives the events of the plugin side. */
  onPluginEvent: (event: PeerEvent) => void = () => undefined;

  /** The pair before the handshake: call welcome() to open it. */
  constructor() {
    this.plugin.hello({
      token: "ab".repeat(32),
      sdkLanguage: "node",
      sdkVersion: "0.0.0",
      pluginName: "caller",
      capabilities: ["streaming", "host-calls", "plugin-calls"],
    });
    this.toHost();
  }

  /** welcome sends the host's Welcome (by default every capability the plugin offered) and delivers it. */
  welcome(init: Partial<WelcomeInit> = {}): PeerEvent[] {
    this.host.welcome({ instanceId: "caller-1", capabilities: ["streaming", "host-calls", "plugin-calls"], ...init });
    return this.toPlugin();
  }

  /** toHost moves what the plugin queued to the host and records the host's events. */
  toHost(): void {
    const output = this.plugin.takeOutput();
    if (output !== undefined) this.hostEvents.push(...this.host.receive(output, performance.now()));
  }

  /** toPlugin moves what the host queued to the plugin and hands each event to onPluginEvent. */
  toPlugin(): PeerEvent[] {
    const output = this.host.takeOutput();
    if (output === undefined) return [];
    const events = this.plugin.receive(output, performance.now());
    for (const event of events) this.onPluginEvent(event);
    return events;
  }

  /** hostEvent returns the last host event of a type, failing when there is none. */
  hostEvent<T extends PeerEvent["type"]>(type: T): Extract<PeerEvent, { type: T }> {
    const event = this.hostEvents.findLast((each) => each.type === type);
    if (event === undefined) throw new Error(`the host saw no ${type} event; it saw ${this.hostEvents.map((each) => each.type).join(", ") || "nothing"}`);
    return event as Extract<PeerEvent, { type: T }>;
  }
}
