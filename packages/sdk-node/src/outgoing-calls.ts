// The calls this plugin makes: to host functions (target empty, PROTOCOL.md §5.4.5) and,
// through the host, to other plugins (§5.4), with their deadlines (§6.3, §6.4), cancellation
// (§7) and streams (§10).

import { DEFAULT_INITIAL_CREDIT, PluginError, type CallId, type Capability, type FunctionInfo, type Peer, type PeerEvent, type PlainValue } from "@polyproc/protocol";
import { StreamReader } from "@polyproc/protocol/node";
import { DeadlineQueue, type DeadlineEntry } from "@polyproc/protocol/node";
import { cancellationOf, connectionLost, deadlinePassed, labelOf, notConnected, notNegotiated } from "./outgoing-errors.js";
import { hostFunctionOf, type HostFunction } from "./host-functions.js";
import { checkOutgoingOptions, outgoingMetadata, windowOf, type OutgoingCallOptions, type OutgoingStreamOptions } from "./outgoing-options.js";

/** CallLink is the connection as the outgoing calls see it. */
export interface CallLink {
  readonly peer: Peer;
  /** flush writes the frames the peer queued, at the end of this event-loop turn. */
  flush(): void;
}

/**
 * CallParent is the handler's call a call is made in (`ctx`): the call takes at most its
 * remaining deadline (§6.4), its `polyproc-hops`, `polyproc-chain` and trace context (§5.5.5),
 * and is cancelled when it is (§7).
 */
export interface CallParent {
  readonly deadline: number | undefined;
  /** The metadata the call inherits from: the handler's call's, its `traceparent` the handler's span's when traced (§5.5.2). */
  readonly inherited: Readonly<Record<string, string>>;
  /** abortReason is why the handler's call was aborted; undefined while it was not. */
  readonly abortReason: unknown;
  /** onAbort calls `listener` with the reason when the handler's call is aborted; it returns how to stop listening. */
  onAbort(listener: (reason: unknown) => void): () => void;
}

/** AnswerEvent is a peer event that answers one of this side's calls. */
export type AnswerEvent = Extract<PeerEvent, { type: "result" | "error" | "item" | "end" }>;

interface UnarySink {
  resolve(value: PlainValue): void;
  reject(error: unknown): void;
}

interface Request {
  target: string;
  fn: string;
  args: PlainValue | undefined;
  options: OutgoingStreamOptions;
  parent: CallParent | undefined;
}

const ROUTED_TARGET = /^[A-Za-z0-9_-]{1,64}$/;

/** Outgoing is one open call: open until its terminal answer arrives, settled once its caller has its outcome. */
class Outgoing implements DeadlineEntry {
  deadlineIndex = -1;
  settled = false;
  stopListening: (() => void)[] = [];

  constructor(
    readonly id: CallId,
    readonly label: string,
    readonly sink: UnarySink | StreamReader,
    readonly deadline: number,
  ) {}
}

/**
 * OutgoingCalls sends this plugin's calls and routes their answers: a deadline that passes
 * fails the call at once with DEADLINE_EXCEEDED and sends Cancel "deadline" (§6.3); an
 * aborted signal, or the abort of the handler's call it was made in, fails it with CANCELLED
 * and sends Cancel (§7.4); answers to a call failed that way are discarded. Errors the other
 * side sent are remote PluginErrors with their origin; those made here are local (§8.4).
 */
export class OutgoingCalls {
  readonly #link: CallLink;
  readonly #open = new Map<CallId, Outgoing>();
  readonly #deadlines = new DeadlineQueue<Outgoing>({ expire: (call) => this.#stop(call, deadlinePassed(call.label), "deadline") });
  #capabilities: readonly Capability[] | undefined;
  #hostFunctions: readonly HostFunction[] = [];

  constructor(link: CallLink) {
    this.#link = link;
  }

  /** welcomed records what the handshake negotiated (§4.4); calls may be made from then on. */
  welcomed(capabilities: readonly Capability[], hostFunctions: readonly FunctionInfo[]): void {
    this.#capabilities = capabilities;
    this.#hostFunctions = Object.freeze(hostFunctions.map(hostFunctionOf));
  }

  /** hostFunctions are the host functions this plugin may call (Welcome.host_functions, §4.4); empty before Welcome. */
  get hostFunctions(): readonly HostFunction[] {
    return this.#hostFunctions;
  }

  /** open counts the calls sent and not yet answered (cancelled ones count until answered, §7.4). */
  get open(): number {
    return this.#open.size;
  }

  /** call calls a host function (`target` "") or a function of another plugin, and resolves with its value. */
  call(target: string, fn: string, args: PlainValue | undefined, options: OutgoingCallOptions, parent: CallParent | undefined): Promise<PlainValue> {
    return new Promise((resolve, reject) => {
      try {
        this.#start({ target, fn, args, options, parent }, { resolve, reject }, undefined);
      } catch (error) {
        reject(error);
      }
    });
  }

  /**
   * stream reads a streaming function: the Call is sent at the first next(), credit is granted
   * as the consumer reads (§10.6), and leaving the loop cancels the stream (§10.4).
   */
  stream(target: string, fn: string, args: PlainValue | undefined, options: OutgoingStreamOptions, parent: CallParent | undefined): StreamReader {
    let problem: unknown;
    try {
      checkOutgoingOptions(options, `stream from ${labelOf(target, fn)}`);
    } catch (error) {
      problem = error;
    }
    const window = problem === undefined ? windowOf(options) : DEFAULT_INITIAL_CREDIT;
    return new StreamReader(window, (reader) => {
      if (problem !== undefined) return reader.finish(problem);
      try {
        this.#start({ target, fn, args, options, parent }, reader, reader.signal);
      } catch (error) {
        reader.finish(error);
      }
    });
  }

  /** receive routes an answer to its call; answers to calls failed here already are dropped (§7.4). */
  receive(event: AnswerEvent): void {
    const call = this.#open.get(event.id);
    if (call === undefined) return;
    if (event.type === "item") {
      if (!call.settled && "item" in call.sink) call.sink.item(event.value);
      return;
    }
    this.#open.delete(event.id);
    if (call.settled) return;
    if (event.type === "result") this.#settle(call, undefined, event.value);
    else this.#settle(call, event.error === undefined ? undefined : PluginError.fromInfo(event.error));
  }

  /** closeAll fails every open call with UNAVAILABLE: the connection is gone (§14.2). */
  closeAll(reason: string): void {
    const calls = [...this.#open.values()];
    this.#open.clear();
    for (const call of calls) if (!call.settled) this.#settle(call, connectionLost(call.label, reason));
  }

  #start(request: Request, sink: UnarySink | StreamReader, consumerLeft: AbortSignal | undefined): void {
    const { target, fn, options, parent } = request;
    const streaming = consumerLeft !== undefined;
    const label = labelOf(target, fn);
    this.#checkRequest(request, label, streaming);
    const now = performance.now();
    const own = options.timeoutMs === undefined ? Infinity : now + options.timeoutMs;
    const deadline = Math.min(own, parent?.deadline ?? Infinity);
    // Aborted before it is sent: nothing goes on the wire.
    const early = options.signal?.aborted === true ? options.signal.reason : parent?.abortReason;
    if (early !== undefined) throw cancellationOf(label, early).error;
    const peer = this.#link.peer;
    const id = peer.call(
      {
        function: fn,
        target,
        args: request.args ?? null,
        ...(deadline !== Infinity && { deadline }),
        metadata: outgoingMetadata(parent?.inherited, options.metadata),
        streaming,
        ...(streaming && { initialCredit: (sink as StreamReader).window }),
      },
      now,
    );
    this.#link.flush();
    const call = new Outgoing(id, label, sink, deadline);
    this.#open.set(id, call);
    if (deadline !== Infinity) this.#deadlines.add(call);
    this.#listen(call, options.signal, parent, consumerLeft);
    if (streaming) {
      (sink as StreamReader).opened((items) => {
        if (call.settled) return;
        peer.grant(id, items);
        this.#link.flush();
      });
    }
  }

  #checkRequest(request: Request, label: string, streaming: boolean): void {
    const { target, fn } = request;
    if (typeof fn !== "string" || fn === "") throw new PluginError("INVALID_ARGUMENT", `the name of the function to call must be a non-empty string, got ${JSON.stringify(fn)}`);
    if (target !== "" && !ROUTED_TARGET.test(target)) {
      throw new PluginError("INVALID_ARGUMENT", `${JSON.stringify(target)} is not a plugin name: use 1 to 64 of [A-Za-z0-9_-], the name in the host's configuration (§5.4)`);
    }
    if (!streaming) checkOutgoingOptions(request.options, `call to ${label}`);
    const capabilities = this.#capabilities;
    if (capabilities === undefined) {
      throw notConnected(label);
    }
    const needed: Capability = target === "" ? "host-calls" : "plugin-calls";
    if (!capabilities.includes(needed)) throw notNegotiated(label, needed, capabilities);
    if (streaming && !capabilities.includes("streaming")) throw notNegotiated(label, "streaming", capabilities);
  }

  #listen(call: Outgoing, signal: AbortSignal | undefined, parent: CallParent | undefined, consumerLeft: AbortSignal | undefined): void {
    if (parent === undefined && signal === undefined && consumerLeft === undefined) return;
    const onAbort = (reason: unknown): void => {
      const { error, wire } = cancellationOf(call.label, reason);
      this.#stop(call, error, wire);
    };
    if (parent !== undefined) call.stopListening.push(parent.onAbort(onAbort));
    if (signal !== undefined) listenTo(call, signal, () => onAbort(signal.reason));
    // The consumer left the loop: "cancelled by caller" (§10.4).
    if (consumerLeft !== undefined) listenTo(call, consumerLeft, () => onAbort(undefined));
  }

  /** stop fails a call here and cancels it on the wire; it stays open until answered (§7.4). */
  #stop(call: Outgoing, error: PluginError, wireReason: string): void {
    if (call.settled) return;
    this.#settle(call, error);
    this.#link.peer.cancel(call.id, wireReason);
    this.#link.flush();
  }

  #settle(call: Outgoing, error: unknown, value?: PlainValue): void {
    call.settled = true;
    this.#deadlines.remove(call);
    for (const stop of call.stopListening) stop();
    call.stopListening = [];
    const sink = call.sink;
    if ("resolve" in sink) {
      if (error === undefined) sink.resolve(value ?? null);
      else sink.reject(error);
    } else {
      sink.finish(error);
    }
  }
}

function listenTo(call: Outgoing, signal: AbortSignal, listener: () => void): void {
  signal.addEventListener("abort", listener, { once: true });
  call.stopListening.push(() => signal.removeEventListener("abort", listener));
}
