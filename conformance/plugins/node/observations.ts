// What the `sleep` and `stream` calls of this process saw, by key, for `observed`
// (spec/CONFORMANCE.md §1.2).

import type { CallContext } from "@polyproc/sdk";

/** Observation is what one keyed call saw; `observed` answers it. */
export interface Observation {
  /** The handler started. */
  started: boolean;
  /** The handler did its whole work: slept every ms, or sent every item. */
  finished: boolean;
  /** The call's cancellation signal fired (cancel, deadline or shutdown). */
  cancelled: boolean;
  /** The text of the signal's reason, or "". */
  reason: string;
}

const observations = new Map<string, Observation>();

/** observationOf answers what the call with `key` saw; a key never used saw nothing. */
export function observationOf(key: string): Observation {
  return { ...(observations.get(key) ?? { started: false, finished: false, cancelled: false, reason: "" }) };
}

/**
 * observe starts recording for a call with `key` (none: records nothing) and returns the
 * record to mark `finished` on; `cancelled` and `reason` follow the call's signal.
 */
export function observe(key: string | undefined, ctx: CallContext): Observation {
  const observation: Observation = { started: true, finished: false, cancelled: false, reason: "" };
  if (key === undefined) return observation;
  observations.set(key, observation);
  const mark = (): void => {
    observation.cancelled = true;
    observation.reason = reasonText(ctx.signal.reason);
  };
  if (ctx.signal.aborted) mark();
  else ctx.signal.addEventListener("abort", mark, { once: true });
  return observation;
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? "" : String(reason);
}
