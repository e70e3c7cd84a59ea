import { describe, expect, it } from "vitest";
import { markdownMatrix, markdownReport } from "./report-markdown.js";
import { caseResult } from "./test-fixtures.js";

const results = [
  caseResult("calls/add", "node", "pass"),
  caseResult("calls/add", "python", "fail", { message: "expected 3, got 4" }),
  caseResult("streams/big", "node", "n/a"),
  caseResult("streams/big", "python", "timeout"),
  caseResult("calls/crash", "node", "error"),
  caseResult("calls/crash", "python", "xfail", { actual: "fail", knownFailure: { pattern: "calls/crash", reason: "exits 0", where: "python.txt:4" } }),
  caseResult("calls/xp", "node", "xpass"),
  caseResult("calls/xp", "python", "pass"),
  caseResult("host-hello/bad", "host", "pass", { testCase: { ...caseResult("host-hello/bad", "host", "pass").testCase, section: "4.2" } }),
];

describe("markdownMatrix", () => {
  it("has a row per case with its section, a column per subject, · where the kind does not run, and totals", () => {
    const table = markdownMatrix(results, ["host", "node", "python"]).split("\n\n")[0]!;
    expect(table.split("\n")).toEqual([
      "| case | § | host | node | python |",
      "| --- | --- | --- | --- | --- |",
      "| calls/add | 5.3 | · | ✅ | ❌ |",
      "| streams/big | 5.3 | · | n/a | ⏱ |",
      "| calls/crash | 5.3 | · | 💥 | xfail |",
      "| calls/xp | 5.3 | · | XPASS | ✅ |",
      "| host-hello/bad | 4.2 | ✅ | · | · |",
      "| **total** | | 1 ✅ | 1 ✅ 1 💥 1 XPASS 1 n/a | 1 ✅ 1 ❌ 1 ⏱ 1 xfail |",
    ]);
  });

  it("explains the cells below the table", () => {
    expect(markdownMatrix(results, ["node"])).toContain("XPASS: passes but listed as known-failing");
  });
});

describe("markdownReport", () => {
  const report = markdownReport(results, [{ subject: "node", pattern: "old/*", where: "node.txt:9" }], { columns: ["host", "node", "python"], environment: "linux x64, Node v20" });

  it("lists what fails the run with messages, stale patterns, and the known failures with reasons", () => {
    expect(report).toContain("Run on linux x64, Node v20.");
    const failures = report.slice(report.indexOf("## Failures"), report.indexOf("## Known failing"));
    expect(failures).toContain("- ❌ `calls/add` (python, fail, 12 ms)\n\n  ```\n  expected 3, got 4\n  ```");
    expect(failures).toContain("`calls/crash` (node, error");
    expect(failures).toContain("`streams/big` (python, timeout");
    expect(failures).toContain("`calls/xp` (node, xpass");
    expect(failures).toContain("stale known-failing pattern `old/*` (node.txt:9)");
    expect(failures).not.toContain("calls/crash` (python");
    expect(report.slice(report.indexOf("## Known failing"))).toContain("- `calls/crash` (python, fail): exits 0 (python.txt:4)");
  });

  it("fences messages so that backticks inside cannot close the block", () => {
    const text = markdownReport([caseResult("a/b", "node", "fail", { message: "got ```x```" })], [], { columns: ["node"] });
    expect(text).toContain("  ````\n  got ```x```\n  ````");
  });

  it("has no failure sections when everything passed", () => {
    const text = markdownReport([caseResult("a/b", "node", "pass")], [], { columns: ["node"] });
    expect(text).not.toContain("## Failures");
    expect(text).not.toContain("## Known failing");
  });
});
