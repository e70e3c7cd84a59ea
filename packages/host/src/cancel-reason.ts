import type { CancelSignal } from "./call-signal.js";

/**
 * CancelReason is an abort reason that names the reason a Cancel frame carries (PROTOCOL.md
 * §7.1). Aborting a call's signal with one sends Cancel with that reason instead of
 * `cancelled by caller`: the host relays a caller's Cancel with the caller's reason, and
 * cancels the calls a plugin made when it disconnects with `caller disconnected` (§5.4.4).
 */
export class CancelReason extends Error {
  override name = "CancelReason";

  constructor(readonly reason: string) {
    super(reason);
  }
}

/** CALLER_DISCONNECTED is the Cancel reason for the calls of a plugin whose connection ended (§5.4.4, §14.1.2). */
export const CALLER_DISCONNECTED = "caller disconnected";

/** cancelReasonOf is the Cancel reason for a call whose signal aborted: the CancelReason's, else `cancelled by caller`. */
export function cancelReasonOf(signal: CancelSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof CancelReason ? reason.reason : "cancelled by caller";
}
