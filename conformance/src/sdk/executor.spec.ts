import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CaseFailure, type ConformanceCase } from "../case-types.js";
import { loadSdks } from "../sdk-registry.js";
import { sdkExecutor } from "./executor.js";
import { loadSdkCases } from "./sdk-cases.js";

const root = resolve(import.meta.dirname, "..", "..", "..");

function sdkCase(steps: Record<string, unknown>[], setup: Record<string, unknown> = {}): ConformanceCase {
  return { id: "unit/case", suite: "unit", name: "case", kind: "sdk", section: "5", description: "d", requires: [], timeoutMs: 15_000, exclusive: false, setup, steps, file: "unit.yaml" };
}

async function run(testCase: ConformanceCase): Promise<string[]> {
  const trace: string[] = [];
  const tmpDir = mkdtempSync(join(tmpdir(), "sdk-unit-"));
  const sdk = loadSdks(join(root, "conformance", "sdks.yaml"), root).find((entry) => entry.name === "node")!;
  try {
    await sdkExecutor.run(testCase, { sdk, signal: AbortSignal.timeout(testCase.timeoutMs), trace: (line) => trace.push(line), tmpDir, root });
    return trace;
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

describe("sdkExecutor.validate", () => {
  it("accepts every sdk suite of conformance/cases", () => {
    const cases = loadSdkCases(root);
    expect(cases.length).toBeGreaterThanOrEqual(35);
    expect(cases.every((c) => c.kind === "sdk")).toBe(true);
  });

  it.each([
    [[{ jump: {} }], /unknown step jump; the steps are call, start/],
    [[{ call: { fn: "echo" }, await: { call: "x" } }], /exactly one key/],
    [[{ call: { fn: "echo", timeout: 5 } }], /steps\[0\]\.call: unknown key timeout/],
    [[{ call: { args: 1 } }], /steps\[0\]\.call: fn is required/],
    [[{ call: { fn: 3 } }], /steps\[0\]\.call\.fn must be a string/],
    [[{ call: { fn: "echo", expect: { value: 1, error: {} } } }], /either a value or an error, not both/],
    [[{ call: { fn: "echo", expect: { error: { code: "NOPE" } } } }], /NOPE is not a code of PROTOCOL.md §8.2/],
    [[{ call: { fn: "echo", expect: { error: { kode: "NOT_FOUND" } } } }], /unknown key kode/],
    [[{ call: { fn: "echo", args: { $bigint: "12x" } } }], /\$bigint must be a string of decimal digits/],
    [[{ call: { fn: "echo", args: { $contains: "x" } } }], /unknown \$contains; use one of \$bigint/],
    [[{ call: { fn: "echo", expect: { value: { $near: 1 } } } }], /unknown \$near/],
    [[{ await: { call: "nap" } }], /no earlier call is labelled nap/],
    [[{ start: { fn: "sleep", as: "a" } }, { start: { fn: "sleep", as: "a" } }], /the label a is used twice/],
    [[{ start: { fn: "sleep" } }], /as is required/],
    [[{ waitEvent: { event: "boom" } }], /event must be one of instance, exit, restart, failed/],
    [[{ kill: { signal: "KILL" } }], /must name a signal such as SIGKILL/],
    [[{ logs: {} }], /give expect .* exclude/],
    [[{ logs: { exclude: "(" } }], /not a regular expression/],
    [[{ close: { graceMs: -1 } }], /graceMs must be a number ≥ 0/],
    [[{ publish: { topic: "a..b" } }], /not a valid topic/],
    [[{ subscribe: { pattern: "a.>.b", as: "s" } }], /not a valid pattern/],
    [[{ expectPublished: { subscription: "s", expect: [] } }], /no earlier subscribe step is labelled s/],
    [[{ stream: { fn: "stream", window: 0 } }], /window must be an integer ≥ 1/],
    [[{ stream: { fn: "stream", expect: { items: 3 } } }], /expect.items must be a list/],
  ])("rejects the steps %j", (steps, message) => {
    const problems = sdkExecutor.validate(sdkCase(steps as Record<string, unknown>[]));
    expect(problems.join("\n")).toMatch(message);
  });

  it.each([
    [{ heartbeat: { interval: 5 } }, /setup.heartbeat: unknown key interval/],
    [{ instances: 0 }, /setup.instances must be a number > 0/],
    [{ plugin: "has space" }, /setup.plugin must match/],
    [{ env: { A: 1 } }, /setup.env must be a map of strings to strings/],
    [{ hostFunctions: { f: { value: 1, echo: true } } }, /exactly one of value, error or echo/],
    [{ peers: [{ env: {} }] }, /setup.peers\[0\]: name is required/],
    [{ subscriptions: ["a.*b"] }, /not a valid pattern/],
    [{ colour: "red" }, /setup: unknown key colour/],
  ])("rejects the setup %j", (setup, message) => {
    expect(sdkExecutor.validate(sdkCase([{ call: { fn: "echo" } }], setup)).join("\n")).toMatch(message);
  });

  it("accepts a well-formed case", () => {
    const steps = [{ start: { fn: "sleep", args: { ms: 10 }, as: "a" } }, { cancel: { call: "a" } }, { await: { call: "a", expect: { error: { code: "CANCELLED" } } } }];
    expect(sdkExecutor.validate(sdkCase(steps, { heartbeat: { intervalMs: 100 } }))).toEqual([]);
  });
});

describe("sdkExecutor.run with the node conformance plugin", () => {
  it("passes a case whose expectations hold, tracing steps, calls and plugin output", async () => {
    const trace = await run(sdkCase([{ call: { fn: "add", args: { a: 2, b: 3 }, expect: { value: 5 } } }, { call: { fn: "log", args: { level: "warn", message: "hi" } } }, { logs: { expect: { $contains: { level: "warn", msg: "hi" } } } }]));
    expect(trace.join("\n")).toMatch(/step 1: call[\s\S]*→ call add[\s\S]*← add: value 5[\s\S]*log warn "hi"/);
  });

  it("fails with a CaseFailure naming what was expected and what happened", async () => {
    const failing = run(sdkCase([{ call: { fn: "fail", args: { code: "NOT_FOUND", message: "gone" }, expect: { error: { code: "ABORTED" } } } }]));
    await expect(failing).rejects.toThrow(CaseFailure);
    await expect(failing).rejects.toThrow(/error.code: expected "ABORTED", got "NOT_FOUND"/);
  });

  it("reads a stream with PluginHost.stream: its items, then leaving it after take", async () => {
    const trace = await run(sdkCase([
      { stream: { fn: "stream", args: { n: 3 }, window: 1, expect: { count: 3, items: [{ index: 0 }, { index: 1 }, { index: 2 }] } } },
      { stream: { fn: "stream", args: { n: 100, key: "left" }, take: 2, expect: { count: 2 } } },
      { call: { fn: "observed", args: { key: "left" }, expect: { value: { cancelled: true, finished: false } } } },
    ]));
    expect(trace.join("\n")).toMatch(/→ stream stream \{"n":3\} window 1[\s\S]*← stream: 3 items[\s\S]*take 2[\s\S]*← stream: 2 items .*left after take/);
  });

  it("fails a stream step whose stream ends otherwise than expected", async () => {
    const failing = run(sdkCase([{ stream: { fn: "stream", args: { n: 4, failAt: 1 }, expect: { count: 4 } } }]));
    await expect(failing).rejects.toThrow(CaseFailure);
    await expect(failing).rejects.toThrow(/expected 4 items, got 1; expected the stream to end normally, but it ended with an error/);
  });

  it("settles promptly and leaves no process when the case is aborted", async () => {
    const trace: string[] = [];
    const sdk = loadSdks(join(root, "conformance", "sdks.yaml"), root).find((entry) => entry.name === "node")!;
    const controller = new AbortController();
    const testCase = sdkCase([{ call: { fn: "env", as: "p" } }, { call: { fn: "sleep", args: { ms: 30_000 } } }]);
    const running = sdkExecutor.run(testCase, { sdk, signal: controller.signal, trace: (line) => {
      trace.push(line);
      if (line.includes("→ call sleep")) controller.abort();
    }, tmpDir: tmpdir(), root });
    await expect(running).rejects.toThrow(/aborted/);
    const pid = Number(/"pid":(\d+)/.exec(trace.join("\n"))![1]);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
