import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KnownFailingError, judge, loadKnownFailing, parseKnownFailing, stalePatterns } from "./known-failing.js";
import { caseResult } from "./test-fixtures.js";

const FILE = "conformance/known-failing/node.txt";

function problemsOf(text: string): string[] {
  try {
    parseKnownFailing(text, FILE);
  } catch (error) {
    if (error instanceof KnownFailingError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseKnownFailing", () => {
  it("reads patterns and reasons, skipping blank and comment lines", () => {
    const entries = parseKnownFailing("# header\n\ncalls/add-ints  # adds wrongly\r\n  streams/*   #   no credit  \n", FILE);
    expect(entries.map(({ pattern, reason, where }) => ({ pattern, reason, where }))).toEqual([
      { pattern: "calls/add-ints", reason: "adds wrongly", where: `${FILE}:3` },
      { pattern: "streams/*", reason: "no credit", where: `${FILE}:4` },
    ]);
    expect(entries[1]!.glob.matches("streams/big")).toBe(true);
  });

  it("requires a reason on every line, naming file:line", () => {
    expect(problemsOf("# ok\ncalls/add\ncalls/echo #   \n")).toEqual([
      `${FILE}:2: calls/add needs a reason: write "calls/add  # why it fails"`,
      `${FILE}:3: calls/echo needs a reason: write "calls/echo  # why it fails"`,
    ]);
  });

  it("refuses what is not a case id or glob", () => {
    const problems = problemsOf("calls add # two words\nCalls/Add # capitals\n # reason only\n");
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(`${FILE}:1: "calls add" is not a case id or glob (suite/name, with * or **)`);
    expect(problems[1]).toContain(`${FILE}:2:`);
  });

  it("reads an empty file as no entries", () => {
    expect(parseKnownFailing("", FILE)).toEqual([]);
  });
});

describe("loadKnownFailing", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads each subject's file, and nothing for a subject without one", () => {
    dir = mkdtempSync(join(tmpdir(), "known-failing-"));
    mkdirSync(join(dir, "known-failing"));
    writeFileSync(join(dir, "known-failing", "node.txt"), "calls/add # slow\n");
    const lists = loadKnownFailing(join(dir, "known-failing"), ["host", "node"], dir);
    expect(lists.map((l) => ({ subject: l.subject, patterns: l.entries.map((e) => e.pattern), where: l.entries.map((e) => e.where) }))).toEqual([
      { subject: "host", patterns: [], where: [] },
      { subject: "node", patterns: ["calls/add"], where: [join("known-failing", "node.txt:1")] },
    ]);
  });

  it("lists the problems of every file at once", () => {
    dir = mkdtempSync(join(tmpdir(), "known-failing-"));
    writeFileSync(join(dir, "host.txt"), "host-hello/x\n");
    writeFileSync(join(dir, "node.txt"), "calls/add\n");
    expect(() => loadKnownFailing(dir, ["host", "node"], dir)).toThrow(/2 problem\(s\):\n {2}- host\.txt:1: .*\n {2}- node\.txt:1: /);
  });
});

describe("judge", () => {
  const lists = [{ subject: "node", entries: parseKnownFailing("calls/* # not yet\n", FILE) }];

  it("turns a listed failure, error or timeout into xfail, keeping the actual outcome", () => {
    for (const outcome of ["fail", "error", "timeout"] as const) {
      const judged = judge(caseResult("calls/add", "node", outcome), lists);
      expect(judged.outcome).toBe("xfail");
      expect(judged.actual).toBe(outcome);
      expect(judged.knownFailure).toEqual({ pattern: "calls/*", reason: "not yet", where: `${FILE}:1` });
      expect(judged.message).toBe(`${outcome} message`);
    }
  });

  it("turns a listed pass into xpass, saying to remove the line", () => {
    const judged = judge(caseResult("calls/add", "node", "pass"), lists);
    expect(judged.outcome).toBe("xpass");
    expect(judged.message).toBe(`passed, but ${FILE}:1 lists it as known-failing (calls/*  # not yet): remove that line`);
  });

  it("leaves unlisted results, n/a and other subjects alone", () => {
    for (const result of [caseResult("streams/big", "node", "fail"), caseResult("calls/add", "node", "n/a"), caseResult("calls/add", "python", "fail")]) {
      expect(judge(result, lists)).toBe(result);
    }
  });
});

describe("stalePatterns", () => {
  const lists = [
    { subject: "node", entries: parseKnownFailing("calls/* # a\nstreams/big # b\npubsub/** # c\n", FILE) },
    { subject: "host", entries: parseKnownFailing("host-hello/x # d\n", "host.txt") },
  ];

  it("reports the patterns that match no case that ran for their subject", () => {
    const results = [
      caseResult("calls/add", "node", "xfail"),
      caseResult("pubsub/echo", "node", "n/a"),
      caseResult("streams/big", "python", "fail"),
      caseResult("host-hello/x", "host", "xpass"),
    ];
    expect(stalePatterns(results, lists)).toEqual([
      { subject: "node", pattern: "streams/big", where: `${FILE}:2` },
      { subject: "node", pattern: "pubsub/**", where: `${FILE}:3` },
    ]);
  });

  it("reports nothing when every pattern matched", () => {
    const results = [caseResult("calls/add", "node", "pass"), caseResult("streams/big", "node", "fail"), caseResult("pubsub/x", "node", "pass"), caseResult("host-hello/x", "host", "pass")];
    expect(stalePatterns(results, lists)).toEqual([]);
  });
});
