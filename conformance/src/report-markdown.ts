// The Markdown report: the matrix of cases × subjects (host, then each SDK), totals per
// column, then what failed and what is known to fail (spec/CONFORMANCE.md §5).

import { type CaseResult, type Outcome, type StalePattern, failingOutcomes, outcomes, tally } from "./results.js";

/** cellText is how the matrix shows each outcome. */
export const cellText: Record<Outcome, string> = {
  pass: "✅",
  fail: "❌",
  error: "💥",
  timeout: "⏱",
  "n/a": "n/a",
  xfail: "xfail",
  xpass: "XPASS",
};

/** NOT_RUN is the cell of a case whose kind does not run for a column (a host case under an SDK). */
export const NOT_RUN = "·";

const legend = `${cellText.pass} pass · ${cellText.fail} fail · ${cellText.error} error (the case could not run) · ${cellText.timeout} timeout · n/a: lacks a required feature · xfail: fails, known-failing · XPASS: passes but listed as known-failing · \`${NOT_RUN}\`: does not run for this column`;

/**
 * markdownMatrix renders the matrix: a row per case (its id and PROTOCOL.md section), a
 * column per subject in `columns` order, and a closing row of totals per column.
 */
export function markdownMatrix(results: readonly CaseResult[], columns: readonly string[]): string {
  const rows = new Map<string, { section: string; cells: Map<string, CaseResult> }>();
  for (const result of results) {
    const row = rows.get(result.testCase.id) ?? { section: result.testCase.section, cells: new Map<string, CaseResult>() };
    row.cells.set(result.subject, result);
    rows.set(result.testCase.id, row);
  }
  const lines = [`| case | § | ${columns.join(" | ")} |`, `| --- | --- | ${columns.map(() => "---").join(" | ")} |`];
  for (const [id, row] of rows) {
    const cells = columns.map((column) => {
      const result = row.cells.get(column);
      return result ? cellText[result.outcome] : NOT_RUN;
    });
    lines.push(`| ${id} | ${row.section} | ${cells.join(" | ")} |`);
  }
  const totals = columns.map((column) => totalsText(results.filter((r) => r.subject === column)));
  lines.push(`| **total** | | ${totals.join(" | ")} |`);
  return `${lines.join("\n")}\n\n${legend}\n`;
}

function totalsText(results: readonly CaseResult[]): string {
  const counts = tally(results);
  const parts = outcomes.filter((o) => counts[o] > 0).map((o) => `${counts[o]} ${cellText[o]}`);
  return parts.length > 0 ? parts.join(" ") : NOT_RUN;
}

/** MarkdownReportOptions says what the report's heading mentions. */
export interface MarkdownReportOptions {
  /** The subjects, in column order (host first, then the SDKs). */
  columns: readonly string[];
  /** Where it ran, such as "linux x64, Node v20.19.0". */
  environment?: string;
}

/**
 * markdownReport renders the whole report: a heading, the matrix, the runs that fail the run
 * (with their messages) and stale known-failing patterns, and the known failures with their
 * reasons.
 */
export function markdownReport(results: readonly CaseResult[], stale: readonly StalePattern[], options: MarkdownReportOptions): string {
  const parts = ["# polyproc conformance\n"];
  if (options.environment) parts.push(`Run on ${options.environment}.\n`);
  parts.push(markdownMatrix(results, options.columns));
  const failures = results.filter((r) => failingOutcomes.has(r.outcome));
  if (failures.length > 0 || stale.length > 0) {
    parts.push("## Failures\n");
    for (const r of failures) parts.push(`- ${cellText[r.outcome]} \`${r.testCase.id}\` (${r.subject}, ${r.outcome}, ${Math.round(r.durationMs)} ms)\n\n${codeBlock(r.message, "  ")}\n`);
    for (const s of stale) parts.push(`- stale known-failing pattern \`${s.pattern}\` (${s.where}): it matches no case that ran for ${s.subject}; remove the line\n`);
  }
  const known = results.filter((r) => r.outcome === "xfail");
  if (known.length > 0) {
    parts.push("## Known failing\n");
    for (const r of known) parts.push(`- \`${r.testCase.id}\` (${r.subject}, ${r.actual ?? "fail"}): ${r.knownFailure?.reason ?? ""} (${r.knownFailure?.where ?? ""})`);
    parts.push("");
  }
  return parts.join("\n");
}

/** codeBlock fences text so that no backtick run inside it closes the fence. */
function codeBlock(text: string, indent: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return [fence, ...text.split("\n"), fence].map((line) => `${indent}${line}`).join("\n");
}
