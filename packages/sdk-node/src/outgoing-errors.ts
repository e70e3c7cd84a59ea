// The local errors of the calls this plugin makes (PROTOCOL.md §8.4.2): made here, so
// `remote` is false and the origin empty.

import { PluginError, type Capability } from "@polyproc/protocol";

/** labelOf names a call's callee in messages: `the host function "greet"` or `billing.total`. */
export function labelOf(target: string, fn: string): string {
  return target === "" ? `the host function ${JSON.stringify(fn)}` : `${target}.${fn}`;
}

/** deadlinePassed fails a call whose deadline passed before its answer came (§6.3). */
export function deadlinePassed(label: string): PluginError {
  return new PluginError("DEADLINE_EXCEEDED", `the deadline of the call to ${label} passed before it was answered; the call was cancelled`);
}

/**
 * cancellationOf turns the reason a call was aborted for into its local error and the reason
 * its Cancel carries (§7.1): the deadline of the handler's call ("deadline"), the reason that
 * cancelled the handler's call (passed down the chain, for example "shutdown"), or the
 * caller's own abort ("cancelled by caller").
 */
export function cancellationOf(label: string, reason: unknown): { error: PluginError; wire: string } {
  if (PluginError.is(reason, "DEADLINE_EXCEEDED")) {
    return { error: new PluginError("DEADLINE_EXCEEDED", `the deadline of the call to ${label} passed before it was answered (the deadline of the call that made it); the call was cancelled`, { cause: reason }), wire: "deadline" };
  }
  const upstream = PluginError.is(reason, "CANCELLED") ? reasonDetail(reason) : undefined;
  const wire = upstream === undefined || upstream === "" ? "cancelled by caller" : upstream;
  const why = upstream === undefined ? "its signal aborted" : `the call that made it was cancelled (${wire})`;
  return { error: new PluginError("CANCELLED", `the call to ${label} was cancelled: ${why}`, { cause: reason, details: { reason: wire } }), wire };
}

/** notConnected refuses a call made before the host welcomed the plugin (§4.4 rule 1). */
export function notConnected(label: string): PluginError {
  return new PluginError("FAILED_PRECONDITION", `cannot call ${label}: the plugin is not connected to a host yet; make calls from a handler, or after \`await plugin.ready\``);
}

/** connectionLost fails a call still open when the connection ends (§14.2). */
export function connectionLost(label: string, reason: string): PluginError {
  return new PluginError("UNAVAILABLE", `the call to ${label} got no answer: the connection to the host ended (${reason})`, { retryable: true });
}

/** notNegotiated refuses a call that needs a capability the handshake did not agree on (§16.2). */
export function notNegotiated(label: string, needed: Capability, negotiated: readonly Capability[]): PluginError {
  const have = negotiated.length === 0 ? "none" : negotiated.join(", ");
  return new PluginError(
    "FAILED_PRECONDITION",
    `cannot call ${label}: it needs the capability "${needed}", which the host did not offer (negotiated: ${have}); use a host that offers "${needed}" (PROTOCOL.md §16.2)`,
  );
}

function reasonDetail(error: PluginError): string | undefined {
  const details = error.details;
  if (typeof details !== "object" || details === null || Array.isArray(details) || details instanceof Uint8Array) return undefined;
  const reason = (details as Record<string, unknown>).reason;
  return typeof reason === "string" ? reason : undefined;
}
