import { PluginError, type PlainValue } from "@polyproc/protocol";
import type { CancelSignal } from "./call-signal.js";
import type { ExitInfo } from "./instance-types.js";

/** describeExit says how an instance ended, e.g. `math-3 exited with code 1 (heartbeat missed)`. */
export function describeExit(instance: string, exit: ExitInfo): string {
  const how =
    exit.signal !== null ? `was ended by ${exit.signal}` : exit.exitCode !== null ? `exited with code ${exit.exitCode}` : "ended";
  const why = exit.reason === "" || exit.reason === "exited" ? "" : ` (${exit.reason})`;
  return `${instance} ${how}${why}`;
}

/** exitDetails are the structured details of an error about an exit (§14.1). */
export function exitDetails(exit: ExitInfo | undefined): PlainValue {
  if (exit === undefined) return null;
  return { exit_code: exit.exitCode, signal: exit.signal, stderr_tail: exit.stderrTail };
}

/** withStderr appends an exit's stderr tail to a message, when there is one. */
export function withStderr(message: string, exit: ExitInfo | undefined): string {
  const tail = exit?.stderrTail.trim() ?? "";
  return tail === "" ? message : `${message}; stderr tail:\n${tail}`;
}

/** cancelledError is the failure of a call whose signal aborted before it ran. */
export function cancelledError(plugin: string, fn: string, signal: CancelSignal | undefined, where: string): PluginError {
  const reason = signal?.reason instanceof Error ? signal.reason.message : signal?.reason;
  const because = typeof reason === "string" && reason !== "" ? `: ${reason}` : "";
  return new PluginError("CANCELLED", `call ${plugin}.${fn} was cancelled by its signal ${where}${because}`, {
    cause: signal?.reason,
  });
}

/** deadlineError is the failure of a call whose deadline passed before it ran. */
export function deadlineError(plugin: string, fn: string, where: string): PluginError {
  return new PluginError(
    "DEADLINE_EXCEEDED",
    `call ${plugin}.${fn}: the deadline passed ${where}; give it a longer timeoutMs or make room (instances, maxConcurrency)`,
  );
}

/** failedError is the fast failure of a call to a plugin marked failed by the crash-loop breaker. */
export function failedError(plugin: string, reason: string, exit: ExitInfo | undefined): PluginError {
  return new PluginError(
    "FAILED_PRECONDITION",
    `plugin ${plugin} is marked failed: ${reason}. Fix the plugin, then call host.restart("${plugin}")`,
    { details: exitDetails(exit) },
  );
}

/** stoppedError is the failure of a call to a plugin stopped by host.stop. */
export function stoppedError(plugin: string): PluginError {
  return new PluginError("FAILED_PRECONDITION", `plugin ${plugin} is stopped; host.restart("${plugin}") starts it again`);
}

/** closedError is the failure of a call made to, or waiting in, a closed host. */
export function closedError(plugin: string, fn: string): PluginError {
  return new PluginError("UNAVAILABLE", `call ${plugin}.${fn} failed: the host is closed or closing`, { retryable: true });
}

/** unknownPluginError is the NOT_FOUND of a plugin name the host does not run; `running` are the names it does. */
export function unknownPluginError(name: string, running: Iterable<string>): PluginError {
  const names = [...running].sort().join(", ");
  return new PluginError("NOT_FOUND", `no plugin named "${name}"; the host runs: ${names === "" ? "none" : names}`);
}
