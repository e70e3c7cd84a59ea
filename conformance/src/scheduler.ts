// Runs the suite: one job per case and subject (an SDK, or "host" for host cases), at most
// `concurrency` at once, exclusive cases alone, each in a fresh temporary directory and under
// its timeout (spec/CONFORMANCE.md §3, §5).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type CaseContext, type CaseExecutor, type CaseKind, type ConformanceCase, type Feature, type SdkEntry, CaseFailure, hostFeatures } from "./case-types.js";
import { type CaseResult, type Outcome, HOST_SUBJECT } from "./results.js";

/** DEFAULT_CONCURRENCY is how many jobs run at once unless --concurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 4;

/** DEFAULT_GRACE_MS is how long a timed-out job's executor gets to settle after the abort. */
export const DEFAULT_GRACE_MS = 5_000;

/** Job is one case to run against one subject. */
export interface Job {
  testCase: ConformanceCase;
  /** The SDK's name, or "host" for a host case. */
  subject: string;
  /** The SDK under test; undefined for host cases. */
  sdk: SdkEntry | undefined;
  /** The required features the subject lacks; the job is `n/a` when there are any. */
  missing: Feature[];
}

/** Selection is what the run covers: host cases or not, and which SDKs. */
export interface Selection {
  host: boolean;
  sdks: readonly SdkEntry[];
}

/**
 * planJobs makes the jobs of a run, in case order: a host case becomes one job with subject
 * "host" (checked against hostFeatures), an sdk or plugin case one job per selected SDK.
 */
export function planJobs(cases: readonly ConformanceCase[], selection: Selection): Job[] {
  return cases.flatMap((testCase): Job[] => {
    const lacking = (declared: readonly Feature[]) => testCase.requires.filter((f) => !declared.includes(f));
    if (testCase.kind === "host") {
      return selection.host ? [{ testCase, subject: HOST_SUBJECT, sdk: undefined, missing: lacking(hostFeatures) }] : [];
    }
    return selection.sdks.map((sdk) => ({ testCase, subject: sdk.name, sdk, missing: lacking(sdk.features) }));
  });
}

/** SchedulerOptions configures runJobs. */
export interface SchedulerOptions {
  /** The executor of each case kind. */
  executors: ReadonlyMap<CaseKind, CaseExecutor>;
  /** The repository root, given to executors. */
  root: string;
  /** How many jobs run at once. Default DEFAULT_CONCURRENCY. */
  concurrency?: number;
  /** How long an executor gets to settle after its case timed out. Default DEFAULT_GRACE_MS. */
  graceMs?: number;
  /** Turns a raw result into the reported one (known-failing lists). Default: unchanged. */
  judge?: (result: CaseResult) => CaseResult;
  /** Called with each reported result as soon as its job ends. */
  onResult?: (result: CaseResult) => void;
}

/**
 * runJobs runs every job and returns their results in job order. Jobs of exclusive cases run
 * after the others, one at a time with nothing beside them. It never rejects: a job that
 * cannot run ends as `error`.
 */
export async function runJobs(jobs: readonly Job[], options: SchedulerOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const finish = async (index: number) => {
    const raw = await runJob(jobs[index]!, options);
    const result = options.judge ? options.judge(raw) : raw;
    results[index] = result;
    options.onResult?.(result);
  };
  const indexes = jobs.map((_job, index) => index);
  const alone = (index: number) => jobs[index]!.testCase.exclusive && jobs[index]!.missing.length === 0;
  await pool(indexes.filter((i) => !alone(i)), options.concurrency ?? DEFAULT_CONCURRENCY, finish);
  for (const index of indexes.filter(alone)) await finish(index);
  return results;
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * runJob runs one job: `n/a` when the subject lacks a required feature; otherwise the kind's
 * executor runs the case in a fresh temporary directory (removed afterwards) with an
 * AbortSignal that fires at the case's timeoutMs.
 */
export async function runJob(job: Job, options: SchedulerOptions): Promise<CaseResult> {
  const { testCase, subject } = job;
  const trace: string[] = [];
  const result = (outcome: Outcome, message: string, durationMs: number): CaseResult => ({ testCase, subject, outcome, message, durationMs, trace: [...trace] });
  if (job.missing.length > 0) return result("n/a", `${subject} lacks the feature(s) ${job.missing.join(", ")}`, 0);
  const executor = options.executors.get(testCase.kind);
  if (executor === undefined) return result("error", `no executor runs ${testCase.kind} cases`, 0);
  const started = performance.now();
  let tmpDir: string | undefined;
  try {
    tmpDir = await mkdtemp(join(tmpdir(), "polyproc-conformance-"));
    const controller = new AbortController();
    const ctx: CaseContext = { sdk: job.sdk, signal: controller.signal, trace: (line) => trace.push(line), tmpDir, root: options.root };
    const { outcome, message } = await runWithTimeout(executor, testCase, ctx, controller, options.graceMs ?? DEFAULT_GRACE_MS);
    return result(outcome, message, performance.now() - started);
  } catch (error) {
    return result("error", describe(error), performance.now() - started);
  } finally {
    if (tmpDir !== undefined) await rm(tmpDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

type Settled = { ok: true } | { ok: false; error: unknown };

async function runWithTimeout(executor: CaseExecutor, testCase: ConformanceCase, ctx: CaseContext, controller: AbortController, graceMs: number): Promise<{ outcome: Outcome; message: string }> {
  const limit = `the case ran longer than its timeoutMs (${testCase.timeoutMs} ms)`;
  const aborted = new Promise<"aborted">((resolve) => controller.signal.addEventListener("abort", () => resolve("aborted"), { once: true }));
  const timer = setTimeout(() => controller.abort(new Error(limit)), testCase.timeoutMs);
  const settled: Promise<Settled> = Promise.resolve()
    .then(() => executor.run(testCase, ctx))
    .then(() => ({ ok: true as const }), (error: unknown) => ({ ok: false as const, error }));
  const first = await Promise.race([settled, aborted]);
  clearTimeout(timer);
  if (first !== "aborted") {
    if (first.ok) return { outcome: "pass", message: "" };
    return isCaseFailure(first.error) ? { outcome: "fail", message: first.error.message } : { outcome: "error", message: describe(first.error) };
  }
  const stopped = await within(settled, graceMs);
  if (!stopped) return { outcome: "timeout", message: `timeout; the executor did not stop within ${graceMs} ms of the abort (${limit})` };
  return { outcome: "timeout", message: limit };
}

/** within resolves true when `promise` settles within `ms`, false otherwise; it leaves no timer behind. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([promise.then(() => true), limit]);
  } finally {
    clearTimeout(timer);
  }
}

function isCaseFailure(error: unknown): error is CaseFailure {
  return error instanceof CaseFailure || (error instanceof Error && error.name === "CaseFailure");
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
  return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}${cause}`;
}
