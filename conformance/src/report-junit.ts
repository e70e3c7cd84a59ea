// The JUnit XML report: one testsuite per subject (host, then each SDK), one testcase per case
// run, so that CI systems and scripts/junit-summary.mjs count every case. `n/a` and `xfail`
// are skipped; fail, error, timeout, xpass and stale known-failing patterns are failures.

import { type CaseResult, type StalePattern, failingOutcomes } from "./results.js";

/**
 * junitXml renders the results (and stale known-failing patterns) of a run as JUnit XML, a
 * testsuite per subject in `subjects` order, each testcase named by its case id with
 * classname `conformance.<subject>`.
 */
export function junitXml(results: readonly CaseResult[], stale: readonly StalePattern[], subjects: readonly string[]): string {
  const suites = subjects.map((subject) => testsuite(subject, results.filter((r) => r.subject === subject), stale.filter((s) => s.subject === subject)));
  const all = { tests: 0, failures: 0, skipped: 0, seconds: 0 };
  for (const suite of suites) {
    all.tests += suite.tests;
    all.failures += suite.failures;
    all.skipped += suite.skipped;
    all.seconds += suite.seconds;
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="conformance" tests="${all.tests}" failures="${all.failures}" errors="0" skipped="${all.skipped}" time="${seconds(all.seconds)}">`,
    ...suites.map((s) => s.xml),
    `</testsuites>`,
    "",
  ].join("\n");
}

interface Suite {
  xml: string;
  tests: number;
  failures: number;
  skipped: number;
  seconds: number;
}

function testsuite(subject: string, results: readonly CaseResult[], stale: readonly StalePattern[]): Suite {
  const classname = `conformance.${subject}`;
  const cases = results.map((r) => testcase(r, classname));
  for (const s of stale) {
    const message = `stale known-failing pattern ${s.pattern} (${s.where}): it matches no case that ran; remove the line`;
    cases.push(`  <testcase classname="${escapeXml(classname)}" name="${escapeXml(`known-failing ${s.pattern}`)}" time="0"><failure message="${escapeXml(message)}" type="stale"/></testcase>`);
  }
  const failures = results.filter((r) => failingOutcomes.has(r.outcome)).length + stale.length;
  const skipped = results.filter((r) => r.outcome === "n/a" || r.outcome === "xfail").length;
  const total = results.reduce((sum, r) => sum + r.durationMs, 0) / 1000;
  const tests = results.length + stale.length;
  const open = `<testsuite name="${escapeXml(classname)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(total)}">`;
  return { xml: [` ${open}`, ...cases, ` </testsuite>`].join("\n"), tests, failures, skipped, seconds: total };
}

function testcase(r: CaseResult, classname: string): string {
  const open = `  <testcase classname="${escapeXml(classname)}" name="${escapeXml(r.testCase.id)}" time="${seconds(r.durationMs / 1000)}">`;
  const out = r.trace.length > 0 ? `<system-out>${escapeXml(r.trace.join("\n"), false)}</system-out>` : "";
  if (r.outcome === "pass") return `${open}</testcase>`;
  if (r.outcome === "n/a") return `${open}<skipped message="${escapeXml(`n/a: ${r.message}`)}"/></testcase>`;
  if (r.outcome === "xfail") {
    const message = `xfail (${r.actual ?? "fail"}), known-failing: ${r.knownFailure?.reason ?? ""} (${r.knownFailure?.where ?? ""})`;
    return `${open}<skipped message="${escapeXml(message)}"/>${out}</testcase>`;
  }
  const firstLine = r.message.split("\n", 1)[0] ?? "";
  return `${open}<failure message="${escapeXml(`${r.outcome}: ${firstLine}`)}" type="${r.outcome}">${escapeXml(r.message, false)}</failure>${out}</testcase>`;
}

function seconds(value: number): string {
  return value.toFixed(3);
}

/**
 * escapeXml makes text safe in XML content and attribute values: it escapes & < > " ', writes
 * line breaks and tabs in attribute values as character references (which keeps them) and drops
 * the characters XML 1.0 forbids (control characters such as ESC, lone surrogates).
 */
export function escapeXml(text: string, inAttribute = true): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
    if (!allowed) continue;
    out += !inAttribute && (char === "\n" || char === "\t") ? char : (entities[char] ?? char);
  }
  return out;
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;" };
