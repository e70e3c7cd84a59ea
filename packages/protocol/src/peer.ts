import { answerError, answerResult, creditOf, endStream, sendItem } from "./peer-answers.js";
import { cancelCall, grantCredit, startCall } from "./peer-calls.js";
import { sendGoodbye, sendPing, sendPublish, sendShutdown, sendSubscription, startDrain } from "./peer-control.js";
import { PeerCore } from "./peer-core.js";
import { dispatchFrame } from "./peer-dispatch.js";
import { receiveHandshake, sendHello, sendReject, sendWelcome } from "./peer-handshake.js";
import type { CallId, CallInit, Capability, HelloInit, PeerEvent, PeerOptions, PeerRole, PeerState, WelcomeInit } from "./peer-types.js";
import type { ErrorCode, ErrorInfo } from "./plugin-error.js";
import { ProtocolError } from "./protocol-error.js";
import type { PlainValue } from "./value-mapping.js";

/**
 * Peer is one end of a polyproc connection as a state machine without I/O (PROTOCOL.md §4 to
 * §15), used by the host and by the Node SDK. Bytes come in through receive() and end(), which
 * return events in order; commands queue frames, which takeOutput() returns as one buffer.
 * Time comes in as `now` (milliseconds on a monotonic clock); there are no timers inside.
 *
 * The peer answers by itself where the spec leaves no choice: Pong to Ping, the refusals of
 * §5.8 (checks 3 and 4, and on the plugin 5 to 7), Goodbye after a drained Shutdown. Every
 * violation of §15 becomes a "close" event carrying a ProtocolError, and the state closed.
 * When the state is closed, the I/O layer writes what takeOutput() returns and closes the
 * transport; the one "close" event comes from receive() or, for a local or orderly close,
 * from end().
 */
export class Peer {
  /** role is the end this peer plays. */
  readonly role: PeerRole;
  private readonly core: PeerCore;

  constructor(options: PeerOptions) {
    this.core = new PeerCore(options);
    this.role = this.core.role;
  }

  /** state is where the connection is in its life (see PeerState). */
  get state(): PeerState {
    return this.core.state;
  }

  /** closeReason says why the connection closed; undefined while it is not closed. */
  get closeReason(): string | undefined {
    return this.core.closeReason;
  }

  /** capabilities are the ones negotiated in the handshake (§16.2); empty before it. */
  get capabilities(): Capability[] {
    const core = this.core;
    const out: Capability[] = [];
    if (core.streaming) out.push("streaming");
    if (core.hostCalls) out.push("host-calls");
    if (core.pluginCalls) out.push("plugin-calls");
    if (core.pubsub) out.push("pubsub");
    return out;
  }

  /**
   * receive reads bytes from the transport, in chunks of any size, and returns the events
   * they complete, in order. Once the state is closed, input is ignored.
   */
  receive(chunk: Uint8Array, now: number): PeerEvent[] {
    const core = this.core;
    const events: PeerEvent[] = [];
    if (core.state === "closed" || chunk.byteLength === 0) return events;
    try {
      let rest = chunk;
      if (core.state === "handshake") {
        rest = receiveHandshake(core, chunk, events);
        if (rest.byteLength === 0 || !core.isOpen) return events;
      }
      const frames = core.decoder.pushPlain(rest);
      for (let i = 0; i < frames.length && !core.isClosed; i++) dispatchFrame(core, frames[i]!, now, events);
    } catch (error) {
      if (!ProtocolError.is(error)) throw error;
      core.closeForViolation(error, events);
    }
    return events;
  }

  /**
   * end says the transport ended or failed. It returns the close event, once: TRUNCATED_FRAME
   * when the input stopped inside a frame, else `reason` (default: connection lost); after a
   * local close, a Goodbye or a Reject, the reason recorded then. Later calls return [].
   */
  end(_now: number, reason?: string): PeerEvent[] {
    const core = this.core;
    if (core.closeDelivered) return [];
    if (core.state !== "closed") {
      let error: ProtocolError | undefined;
      try {
        core.decoder.end();
      } catch (thrown) {
        if (!ProtocolError.is(thrown)) throw thrown;
        error = thrown;
      }
      core.closeLocally(error?.message ?? reason ?? `the connection to the ${core.other} was lost`, false, error);
    }
    core.closeDelivered = true;
    return [{ type: "close", clean: core.closeClean, reason: core.closeReason!, error: core.closeError }];
  }

  /** hasOutput tells whether takeOutput would return frames. */
  get hasOutput(): boolean {
    return this.core.hasOutput;
  }

  /** takeOutput returns every frame queued since the last call as one buffer; undefined if none. */
  takeOutput(): Uint8Array | undefined {
    return this.core.takeOutput();
  }

  /** hello sends the plugin's Hello, its first frame (§4.1). */
  hello(init: HelloInit): void {
    sendHello(this.core, init);
  }

  /**
   * welcome answers the plugin's Hello (after the "hello" event; host) and opens the
   * connection (§4.4). Capabilities outside the Hello's are left out.
   */
  welcome(init: WelcomeInit): void {
    sendWelcome(this.core, init);
  }

  /** reject answers the plugin's Hello with Reject (host) and closes (§4.4). */
  reject(code: ErrorCode, message: string): void {
    sendReject(this.core, code, message);
  }

  /**
   * call sends a Call and returns its id (§5). It throws, sending nothing: PluginError
   * DEADLINE_EXCEEDED when `init.deadline <= now`; PluginError RESOURCE_EXHAUSTED (retryable)
   * over the other end's limit (see callCapacity); ProtocolError INVALID_VALUE, VALUE_TOO_DEEP
   * or FRAME_TOO_LARGE for arguments that cannot be sent; PluginError UNAVAILABLE when the
   * connection is closed or (host) draining; Error before the handshake or for a capability
   * that was not negotiated.
   */
  call(init: CallInit, now: number): CallId {
    return startCall(this.core, init, now);
  }

  /**
   * cancel sends Cancel for an open outgoing call (§7); its answer, when it comes, carries
   * `cancelled: true`. Unknown ids and second cancels are ignored.
   */
  cancel(id: CallId, reason: string): void {
    cancelCall(this.core, id, reason);
  }

  /** grant sends Credit for an open outgoing stream (§10.2); ignored once it ended or was cancelled. */
  grant(id: CallId, items: number): void {
    grantCredit(this.core, id, items);
  }

  /** callCapacity is how many calls may be sent now (Infinity when unlimited, 0 when none may). */
  get callCapacity(): number {
    const core = this.core;
    if (!core.canCall) return 0;
    return core.maxOutgoingCalls === 0 ? Infinity : Math.max(0, core.maxOutgoingCalls - core.outgoing.size);
  }

  /** streamCapacity is how many streaming calls may be sent now (at most callCapacity). */
  get streamCapacity(): number {
    const core = this.core;
    const calls = this.callCapacity;
    if (!core.streaming) return 0;
    return core.maxOutgoingStreams === 0 ? calls : Math.min(calls, Math.max(0, core.maxOutgoingStreams - core.outgoingStreams));
  }

  /** outgoingOpen counts the open outgoing calls; cancelled ones count until answered (§7.4). */
  get outgoingOpen(): number {
    return this.core.outgoing.size;
  }

  /** result answers an open incoming call with its value (§5.3); see PROTOCOL.md §5.3.2 for failures. */
  result(id: CallId, value: PlainValue): void {
    answerResult(this.core, id, value);
  }

  /** fail answers an open incoming call with an Error: a Result, or a StreamEnd for a stream (§8). */
  fail(id: CallId, error: ErrorInfo): void {
    answerError(this.core, id, error);
  }

  /**
   * item sends one item of an open incoming stream (§10). It throws when creditOf(id) is 0
   * (wait for a "credit" event). It returns false when nothing was sent: the id is not open,
   * or the item could not be encoded or was too large and the stream was ended with an Error
   * instead (§10.3.2).
   */
  item(id: CallId, value: PlainValue): boolean {
    return sendItem(this.core, id, value);
  }

  /** creditOf is the credit of an open incoming stream: the items it may send now. */
  creditOf(id: CallId): number {
    return creditOf(this.core, id);
  }

  /** endStream ends an open incoming stream, failed when `error` is given (§10.3). */
  endStream(id: CallId, error?: ErrorInfo): void {
    endStream(this.core, id, error);
  }

  /** incomingOpen counts the incoming calls not yet answered. */
  get incomingOpen(): number {
    return this.core.incoming.size;
  }

  /** ping sends a Ping and returns its seq; the "pong" event carries the round trip (§11). */
  ping(now: number): bigint {
    return sendPing(this.core, now);
  }

  /** unansweredPings counts the Pings sent since the last one answered (§11.4). */
  get unansweredPings(): number {
    return this.core.pings.size;
  }

  /** publish sends a Publish (§12); it needs "pubsub" and a valid topic. */
  publish(topic: string, value: PlainValue, metadata?: Record<string, string>): void {
    sendPublish(this.core, topic, value, metadata);
  }

  /** subscribe adds patterns to the plugin's subscriptions (§12.3). */
  subscribe(patterns: string[]): void {
    sendSubscription(this.core, "subscribe", patterns);
  }

  /** unsubscribe removes patterns from the plugin's subscriptions (§12.3). */
  unsubscribe(patterns: string[]): void {
    sendSubscription(this.core, "unsubscribe", patterns);
  }

  /** shutdown sends Shutdown (host) and makes the state draining: no new calls (§13.1). */
  shutdown(graceMs: number, reason: string): void {
    sendShutdown(this.core, graceMs, reason);
  }

  /**
   * drain makes a plugin leave as after a Shutdown (§13.2.1): new calls are refused with
   * UNAVAILABLE, and Goodbye goes out when the last incoming call is answered.
   */
  drain(reason: string): void {
    startDrain(this.core, reason);
  }

  /**
   * goodbye sends Goodbye as the last frame and closes (§13.2); a plugin cancels its own open
   * calls first. Before the handshake nothing may be sent, so it only closes.
   */
  goodbye(reason: string): void {
    sendGoodbye(this.core, reason);
  }

  /** close closes locally: nothing more is sent (frames already queued stay) or read. */
  close(reason: string): void {
    this.core.closeLocally(reason, false);
  }
}
