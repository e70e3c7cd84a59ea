// The console report: a line per run that did not pass, the message (and with --verbose the
// trace) of each that fails the run, and the closing lines, the last being "N passed, N failed".

import { type CaseResult, type Outcome, type StalePattern, failingOutcomes, summarize } from "./results.js";

const labels: Record<Outcome, string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  error: "💥 error",
  timeout: "⏱ timeout",
  "n/a": "– n/a",
  xfail: "~ xfail",
  xpass: "! XPASS",
};

/** resultLine is the one-line account of a result: outcome, subject, case id, duration, and why for n/a and xfail. */
export function resultLine(r: CaseResult): string {
  const why = r.outcome === "n/a" ? `: ${r.message}` : r.outcome === "xfail" ? ` (${r.actual ?? "fail"}; known-failing: ${r.knownFailure?.reason ?? ""})` : "";
  return `${labels[r.outcome].padEnd(9)} ${r.subject.padEnd(8)} ${r.testCase.id} (${Math.round(r.durationMs)} ms)${why}`;
}

/**
 * consoleReport returns the console's account of a run: a line per result that is not a
 * pass; under each that fails the run its message and, with `verbose`, its trace; a line per
 * stale known-failing pattern; then the closing lines, "(N n/a, N known-failing)" and last
 * "N passed, N failed" (failed counting fail, error, timeout, xpass and stale patterns).
 */
export function consoleReport(results: readonly CaseResult[], stale: readonly StalePattern[], verbose: boolean): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.outcome === "pass") continue;
    lines.push(resultLine(r));
    if (!failingOutcomes.has(r.outcome)) continue;
    lines.push(...indent(r.message.split("\n"), "    "));
    if (verbose && r.trace.length > 0) lines.push("    trace:", ...indent(r.trace, "      "));
  }
  for (const s of stale) lines.push(`${"! stale".padEnd(9)} ${s.subject.padEnd(8)} ${s.where}: ${s.pattern} matches no case that ran; remove the line`);
  return [...lines, ...summaryLines(results, stale)];
}

/** summaryLines are the closing lines: "(N n/a, N known-failing)" and "N passed, N failed". */
export function summaryLines(results: readonly CaseResult[], stale: readonly StalePattern[]): string[] {
  const s = summarize(results, stale);
  return [`(${s.notApplicable} n/a, ${s.knownFailing} known-failing)`, `${s.passed} passed, ${s.failed} failed`];
}

function indent(lines: readonly string[], prefix: string): string[] {
  return lines.map((line) => `${prefix}${line}`);
}
