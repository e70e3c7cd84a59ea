// The steps about the plugin process itself: its exit status (PROTOCOL.md §14.3) and what it
// wrote on stdout and stderr (§2.4, §4.4 rule 5).

import { CaseFailure } from "../case-types.js";
import { match, show } from "../match.js";
import type { RunState } from "./run-steps.js";

/** expectExit waits for the plugin to exit and matches its exit status against `code`. */
export async function expectExit(state: RunState, code: unknown, withinMs: number | undefined): Promise<void> {
  const { plugin } = state;
  const waited = await state.watch.until(() => (plugin.gone ? true : undefined), { signal: state.signal, withinMs });
  if (!waited.ok) throw new CaseFailure(`expected the plugin to exit with code ${show(code)} within ${withinMs} ms; it is still running; ${plugin.stderrTail()}`);
  if (plugin.startError) throw new Error(`the plugin could not be started: ${plugin.startError.message}`);
  const problems = match(plugin.exit?.code ?? undefined, code, "exit code");
  if (problems.length > 0) throw new CaseFailure(`expected the plugin to exit with code ${show(code)}, but it ${plugin.describeExit()}; ${plugin.stderrTail()}`);
}

/**
 * expectOutput waits until everything the plugin wrote on `stream` so far matches `pattern`;
 * it fails when the stream ends, or `withinMs` passes, without a match.
 */
export async function expectOutput(state: RunState, stream: "stdout" | "stderr", pattern: unknown, withinMs: number | undefined): Promise<void> {
  const { plugin } = state;
  const ended = () => (stream === "stdout" ? plugin.stdoutEnded : plugin.stderrEnded) || plugin.startError !== undefined;
  const waited = await state.watch.until(() => {
    if (match(plugin[stream], pattern, stream).length === 0) return true;
    return ended() ? false : undefined;
  }, { signal: state.signal, withinMs });
  if (waited.ok && waited.value) return;
  const text = plugin[stream].trimEnd();
  throw new CaseFailure(`expected the plugin's ${stream} to match ${show(pattern)}${waited.ok ? " before it ended" : ` within ${withinMs} ms`}; it was:\n${text === "" ? "(empty)" : text.slice(-2000)}`);
}
