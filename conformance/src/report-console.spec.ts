import { describe, expect, it } from "vitest";
import { consoleReport, resultLine } from "./report-console.js";
import { caseResult } from "./test-fixtures.js";

const results = [
  caseResult("calls/add", "node", "pass"),
  caseResult("calls/bad", "node", "fail", { message: "expected 3\ngot 4", trace: ["→ call {id: 1}", "← result {id: 1}"] }),
  caseResult("streams/big", "node", "n/a", { message: "node lacks the feature(s) streaming" }),
  caseResult("calls/known", "node", "xfail", { actual: "error", knownFailure: { pattern: "calls/known", reason: "crashes", where: "node.txt:1" } }),
  caseResult("calls/xp", "node", "xpass", { message: "passed, but listed" }),
  caseResult("calls/late", "node", "timeout", { message: "too slow" }),
];
const stale = [{ subject: "node", pattern: "old/*", where: "node.txt:2" }];

describe("consoleReport", () => {
  it("prints a line per non-passing result, the messages of failures, and ends with the summary lines", () => {
    expect(consoleReport(results, stale, false)).toEqual([
      "❌ fail    node     calls/bad (12 ms)",
      "    expected 3",
      "    got 4",
      "– n/a     node     streams/big (12 ms): node lacks the feature(s) streaming",
      "~ xfail   node     calls/known (12 ms) (error; known-failing: crashes)",
      "! XPASS   node     calls/xp (12 ms)",
      "    passed, but listed",
      "⏱ timeout node     calls/late (12 ms)",
      "    too slow",
      "! stale   node     node.txt:2: old/* matches no case that ran; remove the line",
      "(1 n/a, 1 known-failing)",
      "1 passed, 4 failed",
    ]);
  });

  it("adds the trace of each failure with verbose", () => {
    const lines = consoleReport(results, [], true);
    expect(lines.slice(0, 6)).toEqual(["❌ fail    node     calls/bad (12 ms)", "    expected 3", "    got 4", "    trace:", "      → call {id: 1}", "      ← result {id: 1}"]);
    expect(lines.at(-1)).toBe("1 passed, 3 failed");
  });

  it("ends with 0 failed when nothing fails the run", () => {
    expect(consoleReport([caseResult("a/b", "node", "pass"), caseResult("a/c", "node", "n/a")], [], false)).toEqual(["– n/a     node     a/c (12 ms): n/a message", "(1 n/a, 0 known-failing)", "1 passed, 0 failed"]);
  });
});

describe("resultLine", () => {
  it("names the outcome, subject, case and duration", () => {
    expect(resultLine(caseResult("calls/add", "host", "pass", { durationMs: 3.6 }))).toBe("✅ pass    host     calls/add (4 ms)");
  });
});
