// Cases, results and executors for the runner's unit tests.

import type { CaseExecutor, CaseKind, ConformanceCase } from "./case-types.js";
import type { CaseResult, Outcome } from "./results.js";

/** testCase makes a ConformanceCase with `overrides` over plain defaults (an sdk case with one step). */
export function testCase(id: string, overrides: Partial<ConformanceCase> = {}): ConformanceCase {
  const [suite = "suite", name = "case"] = id.split("/");
  return {
    id,
    suite,
    name,
    kind: "sdk",
    section: "5.3",
    description: `${id} does something.`,
    requires: [],
    timeoutMs: 10_000,
    exclusive: false,
    setup: {},
    steps: [{ call: {} }],
    file: `conformance/cases/${suite}.yaml`,
    ...overrides,
  };
}

/** caseResult makes a CaseResult of `outcome` for a case and subject. */
export function caseResult(id: string, subject: string, outcome: Outcome, overrides: Partial<CaseResult> = {}): CaseResult {
  return { testCase: testCase(id, subject === "host" ? { kind: "host" } : {}), subject, outcome, message: outcome === "pass" ? "" : `${outcome} message`, durationMs: 12, trace: [], ...overrides };
}

/** fakeExecutors maps every kind to `executor` (with its kind set). */
export function fakeExecutors(executor: Omit<CaseExecutor, "kind">): ReadonlyMap<CaseKind, CaseExecutor> {
  return new Map((["sdk", "host", "plugin"] as const).map((kind) => [kind, { ...executor, kind }]));
}
