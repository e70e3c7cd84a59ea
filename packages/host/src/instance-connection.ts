import { type CallId, type CloseEvent, type PeerEvent, type PlainValue, PluginError, type PublishEvent, type SubscribeEvent } from "@polyproc/protocol";
import type { PeerConnection } from "@polyproc/protocol/node";
import { CallTable } from "./call-table.js";
import { Heartbeat } from "./heartbeat.js";
import type { AnswerChannel } from "./inbound-call.js";
import { type CallService, InboundCalls } from "./inbound-calls.js";
import type { InstanceCallOptions, InstanceStreamOptions, StreamSink } from "./instance-types.js";

/** ConnectionHooks are what an InstanceConnection reports to its instance. */
export interface ConnectionHooks {
  /** The heartbeat found the plugin hung (§11.4). */
  hung(): void;
  /** The plugin said Goodbye (§13.2); its unanswered calls have already failed. */
  goodbye(reason: string): void;
  /** The connection closed (§14). */
  closed(event: CloseEvent): void;
  /** An answer arrived, so one call less counts in inFlight (see InstanceEvents.capacity). */
  capacity(): void;
  /** The plugin published, subscribed or unsubscribed (§12); absent when `pubsub` was not negotiated. */
  pubsub?(event: PublishEvent | SubscribeEvent): void;
}

/** ConnectionSettings are the parts of the instance's options its connection uses. */
export interface ConnectionSettings {
  plugin: string;
  instanceId: string;
  heartbeatIntervalMs: number;
  heartbeatMissLimit: number;
  /** Serves the plugin's own calls (§5.4); without it they are answered NOT_FOUND. */
  calls?: CallService | undefined;
}

/**
 * InstanceConnection is the welcomed connection of one instance: the calls the host makes
 * on it, streams included (with their deadlines, cancels and credit), the heartbeat (§11),
 * Shutdown (§13.1), and the plugin's Goodbye and close. It turns every Peer command into one
 * flush at the end of the event-loop turn, so that the writes of a turn are batched (§3.3).
 */
export class InstanceConnection {
  private readonly calls: CallTable;
  private readonly heartbeat: Heartbeat;
  private readonly inbound: InboundCalls | undefined;
  private rtt: number | undefined;

  constructor(
    private readonly connection: PeerConnection,
    private readonly settings: ConnectionSettings,
    private readonly hooks: ConnectionHooks,
  ) {
    const { peer } = connection;
    const now = () => performance.now();
    this.calls = new CallTable({
      call: (init) => this.flushed(peer.call(init, now())),
      cancel: (id, reason) => this.flushed(peer.cancel(id, reason)),
      grant: (id, items) => this.flushed(peer.grant(id, items)),
      now,
    });
    this.heartbeat = new Heartbeat(settings.heartbeatIntervalMs, settings.heartbeatMissLimit, {
      ping: () => this.flushed(peer.ping(now())),
      unansweredPings: () => peer.unansweredPings,
      hung: () => hooks.hung(),
    });
    this.heartbeat.start();
    if (settings.calls !== undefined) {
      this.inbound = new InboundCalls({ plugin: settings.plugin, instance: settings.instanceId }, settings.calls, this.answers());
    }
  }

  /** inFlight counts the calls open on the connection, cancelled ones until answered (§5.6). */
  get inFlight(): number {
    return this.connection.peer.state === "closed" ? 0 : this.connection.peer.outgoingOpen;
  }

  /** rttMs is the last heartbeat round trip, undefined before the first Pong. */
  get rttMs(): number | undefined {
    return this.rtt;
  }

  /** call sends one call; see CallTable. */
  call(fn: string, args: PlainValue, options?: InstanceCallOptions): Promise<PlainValue> {
    return this.calls.start(fn, args, options);
  }

  /** stream opens one streaming call (§10); see CallTable. */
  async stream(fn: string, args: PlainValue, sink: StreamSink, options?: InstanceStreamOptions): Promise<void> {
    await this.calls.start(fn, args, options, sink);
  }

  /** handle takes the connection's events after the handshake. */
  readonly handle = (event: PeerEvent): void => {
    switch (event.type) {
      case "item":
        this.calls.item(event);
        return;
      case "result":
      case "error":
      case "end":
        this.calls.answer(event);
        this.hooks.capacity();
        return;
      case "pong":
        this.rtt = event.rttMs;
        return;
      case "goodbye":
        this.onGoodbye(event.reason);
        return;
      case "close":
        this.heartbeat.stop();
        this.inbound?.disconnect();
        this.hooks.closed(event);
        return;
      case "call":
        if (this.inbound !== undefined) this.inbound.receive(event);
        else this.answerUnknown(event.id);
        return;
      case "cancel":
        this.inbound?.cancel(event);
        return;
      case "credit":
        this.inbound?.credit(event);
        return;
      case "publish":
      case "subscribe":
      case "unsubscribe":
        this.hooks.pubsub?.(event);
        return;
      default:
        return;
    }
  };

  /** shutdown sends Shutdown with the grace, while the connection is open (§13.1). */
  shutdown(graceMs: number, reason: string): void {
    if (this.connection.peer.state !== "open") return;
    this.flushed(this.connection.peer.shutdown(Math.min(Math.ceil(Math.max(graceMs, 0)), 0xffffffff), reason));
  }

  /** end stops the heartbeat, fails the calls still pending with `error` and closes the connection. */
  end(error: PluginError, reason: string): void {
    this.heartbeat.stop();
    this.calls.failAll(error);
    this.inbound?.disconnect();
    if (this.connection.peer.state !== "closed") this.flushed(this.connection.peer.close(reason));
  }

  // §13.2.3: the plugin leaves; the calls it did not answer were not run.
  private onGoodbye(reason: string): void {
    this.heartbeat.stop();
    const { plugin, instanceId } = this.settings;
    const message = `plugin ${plugin} instance ${instanceId} said Goodbye (${reason}) before answering; the call was not run, so it may be retried`;
    this.calls.failAll(new PluginError("UNAVAILABLE", message, { retryable: true, originPlugin: plugin, originInstance: instanceId }));
    this.inbound?.disconnect();
    this.hooks.goodbye(reason);
  }

  private answerUnknown(id: CallId): void {
    this.flushed(this.connection.peer.fail(id, { code: "NOT_FOUND", message: "this host serves no host functions" }));
  }

  // The answers to the plugin's own calls; none once the connection is closed (§13.2.3, §14).
  private answers(): AnswerChannel {
    const peer = this.connection.peer;
    const open = () => peer.state === "open" || peer.state === "draining";
    return {
      result: (id, value) => open() && this.flushed(peer.result(id, value)),
      fail: (id, error) => open() && this.flushed(peer.fail(id, error)),
      item: (id, value) => open() && this.flushed(peer.item(id, value)),
      credit: (id) => (open() ? peer.creditOf(id) : 0),
      end: (id) => open() && this.flushed(peer.endStream(id)),
    };
  }

  private flushed<T>(value: T): T {
    this.connection.flushSoon();
    return value;
  }
}
