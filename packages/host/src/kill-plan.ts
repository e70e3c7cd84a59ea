/** KillSignal is what the host sends a plugin process: SIGTERM to ask, SIGKILL to force. */
export type KillSignal = "SIGTERM" | "SIGKILL";

/**
 * KillPlan says how to deliver a signal to a plugin process and the processes it started:
 * - `group`: signal the process group `-pid` (Linux, macOS: the plugin leads its group, §13.3.3);
 * - `tree`: run `taskkill /pid N /T /F` (Windows, which has no signals: terminates the
 *   process and its descendants, so that wrappers such as `npx` leave no child behind);
 * - `process`: signal the child alone (no pid: it never started).
 */
export type KillPlan =
  | { kind: "group"; pid: number; signal: KillSignal }
  | { kind: "tree"; command: "taskkill"; args: string[] }
  | { kind: "process"; signal: KillSignal };

/** killPlan chooses how to signal the process `pid` on `platform` (see KillPlan). */
export function killPlan(platform: NodeJS.Platform, pid: number | undefined, signal: KillSignal): KillPlan {
  if (pid === undefined) return { kind: "process", signal };
  if (platform === "win32") return { kind: "tree", command: "taskkill", args: ["/pid", String(pid), "/T", "/F"] };
  return { kind: "group", pid, signal };
}
