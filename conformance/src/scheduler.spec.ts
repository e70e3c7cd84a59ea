import { existsSync } from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { type CaseContext, type ConformanceCase, type SdkEntry, CaseFailure } from "./case-types.js";
import type { CaseResult } from "./results.js";
import { type Job, planJobs, runJob, runJobs } from "./scheduler.js";
import { fakeExecutors, testCase } from "./test-fixtures.js";

const node: SdkEntry = { name: "node", command: ["node"], cwd: "/", env: {}, features: ["streaming"] };
const python: SdkEntry = { name: "python", command: ["python"], cwd: "/", env: {}, features: [] };
const job = (c: ConformanceCase): Job => ({ testCase: c, subject: "node", sdk: node, missing: [] });

describe("planJobs", () => {
  const cases = [
    testCase("calls/add"),
    testCase("streams/big", { requires: ["streaming"] }),
    testCase("plugin-hello/ok", { kind: "plugin" }),
    testCase("host-hello/bad", { kind: "host" }),
    testCase("host-pubsub/x", { kind: "host", requires: ["pubsub"] }),
  ];

  it("runs sdk and plugin cases once per SDK and host cases once, marking missing features", () => {
    const jobs = planJobs(cases, { host: true, sdks: [node, python] });
    expect(jobs.map((j) => `${j.testCase.id}@${j.subject}${j.missing.length ? ` lacks ${j.missing.join()}` : ""}`)).toEqual([
      "calls/add@node",
      "calls/add@python",
      "streams/big@node",
      "streams/big@python lacks streaming",
      "plugin-hello/ok@node",
      "plugin-hello/ok@python",
      "host-hello/bad@host",
      "host-pubsub/x@host lacks pubsub",
    ]);
    expect(jobs[0]!.sdk).toBe(node);
    expect(jobs[6]!.sdk).toBeUndefined();
  });

  it("leaves out the host cases or the SDKs not selected", () => {
    expect(planJobs(cases, { host: false, sdks: [python] }).map((j) => j.subject)).toEqual(["python", "python", "python"]);
    expect(planJobs(cases, { host: true, sdks: [] }).map((j) => j.testCase.id)).toEqual(["host-hello/bad", "host-pubsub/x"]);
  });
});

/** Gates holds every run until the test releases it, and tracks how many run at once. */
class Gates {
  active = 0;
  peak = 0;
  readonly started: string[] = [];
  private readonly releases = new Map<string, () => void>();
  private waiters: (() => void)[] = [];

  readonly run = async (c: ConformanceCase): Promise<void> => {
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    this.started.push(c.id);
    const released = new Promise<void>((resolve) => this.releases.set(c.id, resolve));
    for (const wake of this.waiters.splice(0)) wake();
    await released;
    this.active--;
  };

  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(id: string): void {
    this.releases.get(id)!();
  }
}

describe("runJobs", () => {
  it("runs at most `concurrency` jobs at once and returns results in job order", async () => {
    const gates = new Gates();
    const jobs = ["a/1", "a/2", "a/3", "a/4", "a/5"].map((id) => job(testCase(id)));
    const done = runJobs(jobs, { executors: fakeExecutors({ validate: () => [], run: gates.run }), root: "/", concurrency: 2 });
    for (let i = 0; i < jobs.length; i++) {
      await gates.until(() => gates.started.length >= Math.min(i + 2, jobs.length));
      expect(gates.active).toBe(Math.min(2, jobs.length - i));
      gates.release(gates.started[i]!);
    }
    const results = await done;
    expect(gates.peak).toBe(2);
    expect(results.map((r) => `${r.testCase.id} ${r.outcome}`)).toEqual(["a/1 pass", "a/2 pass", "a/3 pass", "a/4 pass", "a/5 pass"]);
  });

  it("runs exclusive cases alone, with nothing beside them", async () => {
    let running = new Set<string>();
    const seenByExclusive: string[][] = [];
    const run = async (c: ConformanceCase) => {
      running.add(c.id);
      if (c.exclusive) seenByExclusive.push([...running]);
      for (let i = 0; i < 5; i++) await nextTurn();
      if (c.exclusive) seenByExclusive.push([...running]);
      running = new Set([...running].filter((id) => id !== c.id));
    };
    const jobs = [testCase("a/1"), testCase("a/x", { exclusive: true }), testCase("a/2"), testCase("a/y", { exclusive: true }), testCase("a/3")].map(job);
    const results = await runJobs(jobs, { executors: fakeExecutors({ validate: () => [], run }), root: "/", concurrency: 4 });
    expect(seenByExclusive).toEqual([["a/x"], ["a/x"], ["a/y"], ["a/y"]]);
    expect(results.map((r) => r.outcome)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
  });

  it("reports n/a without running the case, and passes results through judge and onResult", async () => {
    const ran: string[] = [];
    const reported: CaseResult[] = [];
    const jobs: Job[] = [{ ...job(testCase("a/1", { requires: ["pubsub"] })), missing: ["pubsub"] }, job(testCase("a/2"))];
    const results = await runJobs(jobs, {
      executors: fakeExecutors({ validate: () => [], run: async (c) => void ran.push(c.id) }),
      root: "/",
      judge: (r) => ({ ...r, message: `judged ${r.outcome}` }),
      onResult: (r) => reported.push(r),
    });
    expect(ran).toEqual(["a/2"]);
    expect(results.map((r) => [r.outcome, r.message, r.durationMs])).toEqual([
      ["n/a", "judged n/a", 0],
      ["pass", "judged pass", expect.any(Number)],
    ]);
    expect(reported).toHaveLength(2);
    expect(new Set(reported)).toEqual(new Set(results));
  });
});

describe("runJob", () => {
  const options = (run: (c: ConformanceCase, ctx: CaseContext) => Promise<void>, graceMs = 5_000) => ({ executors: fakeExecutors({ validate: () => [], run }), root: "/repo", graceMs });

  it("gives the executor a fresh temporary directory, removed afterwards, and keeps its trace", async () => {
    let seen: CaseContext | undefined;
    let existed = false;
    const result = await runJob(job(testCase("a/1")), options(async (_c, ctx) => {
      seen = ctx;
      existed = existsSync(ctx.tmpDir);
      ctx.trace("→ call {id: 1}");
      ctx.trace("← result {id: 1}");
    }));
    expect(existed).toBe(true);
    expect(existsSync(seen!.tmpDir)).toBe(false);
    expect(seen!.root).toBe("/repo");
    expect(seen!.sdk).toBe(node);
    expect(seen!.signal.aborted).toBe(false);
    expect(result).toMatchObject({ outcome: "pass", message: "", trace: ["→ call {id: 1}", "← result {id: 1}"] });
  });

  it("reports a CaseFailure as fail and any other error, even a synchronous throw, as error", async () => {
    const failed = await runJob(job(testCase("a/1")), options(async () => Promise.reject(new CaseFailure("expected 3, got 4"))));
    expect(failed).toMatchObject({ outcome: "fail", message: "expected 3, got 4" });
    const errored = await runJob(job(testCase("a/1")), options(async () => Promise.reject(new Error("spawn ENOENT", { cause: new Error("no such file") }))));
    expect(errored).toMatchObject({ outcome: "error", message: "spawn ENOENT (cause: no such file)" });
    const thrown = await runJob(job(testCase("a/1")), options(() => {
      throw new TypeError("bad step");
    }));
    expect(thrown).toMatchObject({ outcome: "error", message: "TypeError: bad step" });
  });

  it("reports a case without an executor as error", async () => {
    const result = await runJob(job(testCase("a/1")), { executors: new Map(), root: "/" });
    expect(result).toMatchObject({ outcome: "error", message: "no executor runs sdk cases" });
  });

  it("aborts the signal at timeoutMs and reports timeout once the executor stops", async () => {
    const result = await runJob(job(testCase("a/1", { timeoutMs: 30 })), options((_c, ctx) => new Promise((_resolve, reject) => {
      ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error));
    })));
    expect(result.outcome).toBe("timeout");
    expect(result.message).toBe("the case ran longer than its timeoutMs (30 ms)");
    expect(result.durationMs).toBeGreaterThanOrEqual(25);
  });

  it("waits for an executor that first ignores the abort and then stops", async () => {
    let stoppedAfterAbort = false;
    const result = await runJob(job(testCase("a/1", { timeoutMs: 30 })), options((_c, ctx) => new Promise((resolve) => {
      ctx.signal.addEventListener("abort", () => {
        setTimeout(() => {
          stoppedAfterAbort = true;
          resolve();
        }, 20);
      });
    })));
    expect(stoppedAfterAbort).toBe(true);
    expect(result).toMatchObject({ outcome: "timeout", message: "the case ran longer than its timeoutMs (30 ms)" });
  });

  it("gives up on an executor that never stops after the grace period, saying so", async () => {
    const result = await runJob(job(testCase("a/1", { timeoutMs: 30 })), options(() => new Promise(() => undefined), 50));
    expect(result.outcome).toBe("timeout");
    expect(result.message).toBe("timeout; the executor did not stop within 50 ms of the abort (the case ran longer than its timeoutMs (30 ms))");
  });
});
