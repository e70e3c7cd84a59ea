import type { CallEvent, CallId, CancelEvent, CreditEvent, FunctionInfo } from "@polyproc/protocol";
import { CALLER_DISCONNECTED, CancelReason } from "./cancel-reason.js";
import { type AnswerChannel, InboundCall } from "./inbound-call.js";

/** Caller names the plugin instance a call comes from. */
export interface Caller {
  /** The plugin's name in the host configuration. */
  plugin: string;
  /** The instance id, e.g. `math-3`. */
  instance: string;
}

/**
 * CallService serves the calls plugins make (PROTOCOL.md §5.4): host functions and calls
 * routed to other plugins. PluginHost makes one; every instance's connection uses it.
 */
export interface CallService {
  /** hostFunctionsFor lists the host functions a plugin may call, for its Welcome (§4.4). */
  hostFunctionsFor(plugin: string): FunctionInfo[];
  /** serve runs one call; it answers through `call` exactly once, whatever happens. */
  serve(caller: Caller, call: InboundCall): void;
}

/**
 * InboundCalls holds the calls one plugin connection has open toward the host: it passes
 * each new Call to the CallService, and the caller's Cancel and Credit to the call they
 * concern (§7, §10.2). When the connection ends or the plugin says Goodbye, every call still
 * open is cancelled with `caller disconnected` (§5.4.4, §13.2.3, §14.1.2).
 */
export class InboundCalls {
  private readonly open = new Map<CallId, InboundCall>();

  constructor(
    private readonly caller: Caller,
    private readonly service: CallService,
    private readonly channel: AnswerChannel,
  ) {}

  /** receive takes a new Call from the plugin. */
  receive(event: CallEvent): void {
    const initialCredit = event.streaming ? this.channel.credit(event.id) : 0;
    const call = new InboundCall(event, initialCredit, this.channel, (done) => {
      if (this.open.get(done.event.id) === done) this.open.delete(done.event.id);
    });
    this.open.set(event.id, call);
    try {
      this.service.serve(this.caller, call);
    } catch (error) {
      call.failWith(error);
    }
  }

  /** cancel takes the plugin's Cancel for one of its calls (§7). */
  cancel(event: CancelEvent): void {
    this.open.get(event.id)?.abort(new CancelReason(event.reason));
  }

  /** credit takes the plugin's Credit for one of its streams (§10.2). */
  credit(event: CreditEvent): void {
    this.open.get(event.id)?.credit(event.items);
  }

  /** disconnect cancels every call still open: the plugin is gone. */
  disconnect(): void {
    const calls = [...this.open.values()];
    this.open.clear();
    for (const call of calls) call.abort(new CancelReason(CALLER_DISCONNECTED));
  }
}
