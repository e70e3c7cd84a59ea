// What one run of one case ends as (spec/CONFORMANCE.md §5), and the tallies the reports print.

import type { ConformanceCase } from "./case-types.js";

/**
 * Outcome is how one case run ended: `pass`, `fail` (an expectation did not hold), `error`
 * (the case could not run), `timeout` (it ran past its timeoutMs), `n/a` (the subject lacks a
 * required feature), `xfail` (it did not pass and is listed as known-failing) or `xpass` (it
 * passed although listed).
 */
export type Outcome = "pass" | "fail" | "error" | "timeout" | "n/a" | "xfail" | "xpass";

/** outcomes lists every Outcome, in the order reports show them. */
export const outcomes: readonly Outcome[] = ["pass", "fail", "error", "timeout", "xpass", "xfail", "n/a"];

/** HOST_SUBJECT is the subject of `host` cases: the matrix column and known-failing file "host". */
export const HOST_SUBJECT = "host";

/** KnownFailure is the known-failing entry that matched a case run. */
export interface KnownFailure {
  pattern: string;
  reason: string;
  /** `file:line` of the entry. */
  where: string;
}

/** CaseResult is one case run against one subject (an SDK's name, or "host"). */
export interface CaseResult {
  testCase: ConformanceCase;
  subject: string;
  outcome: Outcome;
  /** For `xfail`: how the case actually ended (fail, error or timeout). */
  actual?: Outcome;
  /** What went wrong, or why the case did not apply; "" for a pass. */
  message: string;
  durationMs: number;
  /** The lines the executor traced, in order. */
  trace: string[];
  /** The entry that listed the case as known-failing, for xfail and xpass. */
  knownFailure?: KnownFailure;
}

/** StalePattern is a known-failing entry that matched no case that ran; it fails the run. */
export interface StalePattern {
  subject: string;
  pattern: string;
  where: string;
}

/** failingOutcomes are the outcomes that fail the run. */
export const failingOutcomes: ReadonlySet<Outcome> = new Set(["fail", "error", "timeout", "xpass"]);

/** Tally counts the results of a run (or of one subject). */
export type Tally = Record<Outcome, number>;

/** tally counts results by outcome. */
export function tally(results: readonly CaseResult[]): Tally {
  const counts = Object.fromEntries(outcomes.map((o) => [o, 0])) as Tally;
  for (const result of results) counts[result.outcome]++;
  return counts;
}

/** RunSummary is what the closing line counts: passes against everything that fails the run. */
export interface RunSummary {
  passed: number;
  /** fail + error + timeout + xpass + stale patterns. */
  failed: number;
  notApplicable: number;
  knownFailing: number;
}

/** summarize counts a run for its closing lines. */
export function summarize(results: readonly CaseResult[], stale: readonly StalePattern[]): RunSummary {
  const counts = tally(results);
  return {
    passed: counts.pass,
    failed: counts.fail + counts.error + counts.timeout + counts.xpass + stale.length,
    notApplicable: counts["n/a"],
    knownFailing: counts.xfail,
  };
}
