// Loading only the sdk-kind suites of conformance/cases (every file not named host-* or
// plugin-*), for this executor's own tests and its development script.

import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CaseExecutor, CaseKind, ConformanceCase } from "../case-types.js";
import { loadCases } from "../load-cases.js";
import { sdkExecutor } from "./executor.js";

/** isSdkSuiteFile tells whether a file of conformance/cases holds an sdk-kind suite. */
export function isSdkSuiteFile(file: string): boolean {
  return file.endsWith(".yaml") && !file.startsWith("host-") && !file.startsWith("plugin-");
}

/** loadSdkCases loads the sdk suites of `root`/conformance/cases with the sdk executor alone. */
export function loadSdkCases(root: string): ConformanceCase[] {
  const directory = join(root, "conformance", "cases");
  const copy = mkdtempSync(join(tmpdir(), "sdk-cases-"));
  try {
    for (const file of readdirSync(directory).filter(isSdkSuiteFile)) copyFileSync(join(directory, file), join(copy, file));
    const executors = new Map<CaseKind, CaseExecutor>([["sdk", sdkExecutor]]);
    return loadCases(copy, root, executors).map((testCase) => ({ ...testCase, file: join("conformance", "cases", testCase.file.split("/").pop()!) }));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
