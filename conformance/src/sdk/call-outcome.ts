// How a call ended, as sdk cases match it: a value, or an error seen through its fields
// (PROTOCOL.md §8.1: code, message, details, retryable, origin; §8.4: remote or local).

import { PluginError } from "@polyproc/host";
import { match, show } from "../match.js";
import { expectationFromSpec } from "./value-spec.js";

/** CallOutcome is how one call settled and how long it took from its start. */
export type CallOutcome = { ok: true; value: unknown; elapsedMs: number } | { ok: false; error: Record<string, unknown>; elapsedMs: number };

/** outcomeOf waits for a call and describes how it settled. */
export async function outcomeOf(call: Promise<unknown>, startedAt: number): Promise<CallOutcome> {
  try {
    const value = await call;
    return { ok: true, value, elapsedMs: performance.now() - startedAt };
  } catch (error) {
    return { ok: false, error: errorView(error), elapsedMs: performance.now() - startedAt };
  }
}

/**
 * errorView is what an expectation's `error` is matched against: a PluginError's fields; a
 * ProtocolError (a call refused before sending, §8.4.3) as `protocolError` (its kind) with
 * its message and path; anything else by name and message.
 */
export function errorView(error: unknown): Record<string, unknown> {
  if (PluginError.is(error)) {
    const { code, message, details, retryable, originPlugin, originInstance, remote } = error;
    return { code, message, details, retryable, originPlugin, originInstance, remote };
  }
  const record = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  if (record.name === "ProtocolError") return { protocolError: record.kind, message: record.message, path: record.path };
  return { name: record.name ?? typeof error, message: error instanceof Error ? error.message : String(error) };
}

/** describeOutcome renders an outcome for the trace and for failure messages. */
export function describeOutcome(outcome: CallOutcome): string {
  const took = `${Math.round(outcome.elapsedMs)} ms`;
  return outcome.ok ? `value ${show(outcome.value)} after ${took}` : `error ${show(outcome.error)} after ${took}`;
}

/** OutcomeExpectation is the `expect` of call and await: a value, or an error; without it the call must succeed. */
export interface OutcomeExpectation {
  value?: unknown;
  error?: unknown;
}

/** outcomeProblems lists how an outcome differs from the expectation (and the timing bounds). */
export function outcomeProblems(outcome: CallOutcome, expect: OutcomeExpectation | undefined, timing: { withinMs?: number; afterMs?: number }): string[] {
  const problems: string[] = [];
  if (expect?.error !== undefined) {
    if (outcome.ok) problems.push(`expected an error like ${show(expect.error)}, got a value`);
    else problems.push(...match(outcome.error, expectationFromSpec(expect.error), "error"));
  } else if (!outcome.ok) {
    problems.push(`expected ${expect?.value === undefined ? "success" : `the value ${show(expect.value)}`}, got an error`);
  } else if (expect?.value !== undefined) {
    problems.push(...match(outcome.value, expectationFromSpec(expect.value), "value"));
  }
  if (timing.withinMs !== undefined && outcome.elapsedMs > timing.withinMs) problems.push(`expected it to settle within ${timing.withinMs} ms of its start`);
  if (timing.afterMs !== undefined && outcome.elapsedMs < timing.afterMs) problems.push(`expected it to settle no sooner than ${timing.afterMs} ms after its start`);
  return problems;
}
