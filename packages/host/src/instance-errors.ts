import { type ErrorCode, PluginError } from "@polyproc/protocol";
import type { ExitInfo } from "./instance-types.js";

/** InstanceEnd is what the host knows about an instance's end when it fails its calls (§14.1). */
export type InstanceEnd = Pick<ExitInfo, "exitCode" | "signal" | "reason" | "stderrTail">;

/**
 * describeEnd says how an instance ended, for messages: `exited with code 3`, `was killed by
 * SIGKILL (heartbeat missed)`, `lost its connection` while the process still runs, or
 * `ended (spawn failed: ...)`.
 */
export function describeEnd(end: InstanceEnd): string {
  const how =
    end.signal !== null
      ? `was killed by ${end.signal}`
      : end.exitCode !== null
        ? `exited with code ${end.exitCode}`
        : end.reason === "connection lost"
          ? "lost its connection"
          : "ended";
  return end.reason === "exited" || end.reason === "connection lost" ? how : `${how} (${end.reason})`;
}

/** withStderrTail appends the stderr tail to a message, or says that stderr was empty. */
export function withStderrTail(message: string, stderrTail: string): string {
  return stderrTail === "" ? `${message}; it wrote nothing to stderr` : `${message}; the end of its stderr:\n${stderrTail}`;
}

/**
 * unavailableError is the error of every call in flight on an instance that ended (§14.1):
 * UNAVAILABLE, retryable, the instance as origin, a message naming the exit code or signal
 * and the stderr tail, and details `{ exit_code, signal, stderr_tail }`.
 */
export function unavailableError(plugin: string, instanceId: string, end: InstanceEnd, what = "while the call was in flight"): PluginError {
  return instanceError("UNAVAILABLE", plugin, instanceId, `plugin ${plugin} instance ${instanceId} ${describeEnd(end)} ${what}`, end, true);
}

/**
 * instanceError makes a local PluginError about an instance, with the stderr tail in the
 * message and the details of §14.1.
 */
export function instanceError(
  code: ErrorCode,
  plugin: string,
  instanceId: string,
  message: string,
  end: InstanceEnd,
  retryable: boolean,
): PluginError {
  return new PluginError(code, withStderrTail(message, end.stderrTail), {
    retryable,
    originPlugin: plugin,
    originInstance: instanceId,
    details: { exit_code: end.exitCode, signal: end.signal, stderr_tail: end.stderrTail },
  });
}
