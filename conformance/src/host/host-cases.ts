// Loads the `host` suites (conformance/cases/host-*.yaml) and runs them with hostExecutor,
// outside the runner: for this executor's spec.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CaseExecutor, type CaseKind, type ConformanceCase } from "../case-types.js";
import { loadCases } from "../load-cases.js";
import { hostExecutor } from "./executor.js";

/** repositoryRoot is the repository's root directory. */
export const repositoryRoot = join(import.meta.dirname, "..", "..", "..");

// The other kinds' cases share the directory; they are loaded unchecked and left out here.
const otherKind = (kind: CaseKind): CaseExecutor => ({ kind, validate: () => [], run: () => Promise.reject(new Error(`${kind} cases are not run here`)) });

/** loadHostCases returns the cases of kind host from conformance/cases. */
export function loadHostCases(): ConformanceCase[] {
  const executors = new Map<CaseKind, CaseExecutor>([["host", hostExecutor], ["sdk", otherKind("sdk")], ["plugin", otherKind("plugin")]]);
  return loadCases(join(repositoryRoot, "conformance", "cases"), repositoryRoot, executors).filter((c) => c.kind === "host");
}

/** HostCaseResult is the outcome of one case run by runHostCase. */
export interface HostCaseResult {
  id: string;
  result: "pass" | "fail" | "error" | "timeout";
  message: string;
  trace: string[];
  ms: number;
}

/** runHostCase runs one case with a fresh directory and its timeout, as the runner does. */
export async function runHostCase(testCase: ConformanceCase): Promise<HostCaseResult> {
  const tmpDir = await mkdtemp(join(tmpdir(), "pp-host-"));
  const trace: string[] = [];
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the case ran longer than its timeout of ${testCase.timeoutMs} ms`)), testCase.timeoutMs);
  const line = (text: string) => trace.push(`${Math.round(performance.now() - started)} ms ${text}`);
  try {
    await hostExecutor.run(testCase, { sdk: undefined, signal: controller.signal, trace: line, tmpDir, root: repositoryRoot });
    return { id: testCase.id, result: "pass", message: "", trace, ms: performance.now() - started };
  } catch (error) {
    const result = controller.signal.aborted ? "timeout" : (error as Error).name === "CaseFailure" ? "fail" : "error";
    return { id: testCase.id, result, message: (error as Error).message, trace, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    await rm(tmpDir, { recursive: true, force: true });
  }
}
