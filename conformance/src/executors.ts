// The executor of each case kind (spec/CONFORMANCE.md §3), as the runner and the case loader use them.

import type { CaseExecutor, CaseKind } from "./case-types.js";
import { hostExecutor } from "./host/executor.js";
import { pluginExecutor } from "./plugin/executor.js";
import { sdkExecutor } from "./sdk/executor.js";

/** executors maps each CaseKind to the CaseExecutor that validates and runs its cases. */
export const executors: ReadonlyMap<CaseKind, CaseExecutor> = new Map<CaseKind, CaseExecutor>([
  ["sdk", sdkExecutor],
  ["host", hostExecutor],
  ["plugin", pluginExecutor],
]);
