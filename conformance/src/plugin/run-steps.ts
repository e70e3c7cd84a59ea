// Running the steps of a plugin case against the conformance plugin, frame by frame.

import type { Hello } from "@polyproc/protocol";
import { CaseFailure } from "../case-types.js";
import { match, show } from "../match.js";
import { bytesFromSpec, frameBytes, hexOf } from "../wire/frame-bytes.js";
import { frameFromSpec } from "../wire/frame-spec.js";
import type { FakeHost, Received } from "./fake-host.js";
import { rejectSpec, welcomeSpec } from "./handshake-frames.js";
import { helloProblems } from "./hello-checks.js";
import { resolveVars } from "./patterns.js";
import type { PluginProcess } from "./plugin-process.js";
import type { PluginStep } from "./steps.js";
import type { Watch } from "./watch.js";
import { expectExit, expectOutput } from "./process-steps.js";

/** RunState is what the steps of one run share. */
export interface RunState {
  host: FakeHost;
  plugin: PluginProcess;
  watch: Watch;
  signal: AbortSignal;
  trace: (line: string) => void;
  /** The POLYPROC_TOKEN the plugin was given, if any. */
  token: string | undefined;
  /** The plugin's Hello, once a step has read it. */
  hello: Hello | undefined;
  /** The instance id the fake host sent in Welcome. */
  instanceId: string | undefined;
}

/** runStep runs one step; it rejects with a CaseFailure when the plugin does not do what the step expects. */
export async function runStep(step: PluginStep, state: RunState): Promise<void> {
  switch (step.type) {
    case "expectHello":
      return expectHello(state, step.patterns);
    case "welcome": {
      const hello = state.hello ?? (await expectHello(state, []), state.hello!);
      const spec = welcomeSpec(step.overrides, hello.capabilities);
      state.instanceId = String(spec.welcome.instanceId);
      return sendFrames(state, [spec]);
    }
    case "reject":
      if (state.hello === undefined) await expectHello(state, []);
      return sendFrames(state, [rejectSpec(step.fields)]);
    case "send":
      return sendFrames(state, step.frames);
    case "sendRaw": {
      await connection(state, "sendRaw");
      const chunks = step.chunks.map((spec) => bytesFromSpec(spec));
      state.host.send(Buffer.concat(chunks), `raw ${chunks.map((c) => hexOf(c)).join(" | ")}`);
      return;
    }
    case "expectFrame":
      return expectFrame(state, step.pattern, step.skip, step.withinMs);
    case "expectFrames":
      return expectFrames(state, step.unordered, step.skip, step.withinMs);
    case "expectNoFrame":
      return expectNoFrame(state, step.forMs, step.skip);
    case "expectClosed":
      return expectClosed(state, step.withinMs);
    case "expectExit":
      return expectExit(state, step.code, step.withinMs);
    case "expectOutput":
      return expectOutput(state, step.stream, step.pattern, step.withinMs);
    case "closeConnection":
      await connection(state, "closeConnection");
      return state.host.closeConnection();
  }
}

/** vars are the values of `{$var: name}` in patterns. */
function vars(state: RunState) {
  return { token: state.token, pid: state.plugin.pid, instanceId: state.instanceId };
}

/** connection waits until the plugin has connected; it fails if the plugin exits first. */
async function connection(state: RunState, what: string): Promise<void> {
  const { host, plugin } = state;
  const waited = await state.watch.until(() => (host.socket !== undefined ? true : plugin.gone ? false : undefined), { signal: state.signal });
  if (waited.ok && waited.value) return;
  throw new CaseFailure(`${what}: expected the plugin to connect, but it ${plugin.describeExit()} without connecting; ${plugin.stderrTail()}`);
}

async function sendFrames(state: RunState, specs: unknown[]): Promise<void> {
  await connection(state, "send");
  const frames = specs.map((spec) => frameFromSpec(spec));
  const what = specs.map((spec) => show(spec)).join(" + ");
  state.host.send(Buffer.concat(frames.map((frame) => frameBytes(frame))), what);
}

type NextFrame = { frame: Received } | { end: string };

/** nextFrame waits for the next frame whose kind is not in `skip` (consuming skipped ones), or the end of the connection. */
async function nextFrame(state: RunState, skip: readonly string[], withinMs: number | undefined): Promise<NextFrame | undefined> {
  const { host, plugin } = state;
  await connection(state, "waiting for a frame");
  const waited = await state.watch.until<NextFrame>(() => {
    while (host.next < host.received.length) {
      const received = host.received[host.next]!;
      if (!skip.includes(received.kind)) return { frame: received };
      host.next++;
    }
    if (host.decodeError) return { end: `the plugin sent bytes that do not decode: ${host.decodeError.message}` };
    if (host.closedByHost) return { end: "the fake host closed the connection" };
    if (host.ended !== undefined) return { end: `${host.ended} (the plugin ${plugin.describeExit()}); ${plugin.stderrTail()}` };
    return undefined;
  }, { signal: state.signal, withinMs });
  return waited.ok ? waited.value : undefined;
}

async function expectHello(state: RunState, patterns: unknown[]): Promise<void> {
  const next = await nextFrame(state, [], undefined);
  if (next === undefined || "end" in next) throw new CaseFailure(`expected the plugin's Hello, but ${next?.end ?? "none came"}`);
  state.host.next++;
  const frame = next.frame.frame;
  if (frame.kind.case !== "hello") throw new CaseFailure(`expected Hello as the plugin's first frame (§4.4 rule 1), got ${next.frame.kind} ${show(next.frame.readable)}`);
  state.hello = frame.kind.value;
  const problems = helloProblems(frame.kind.value, state.token);
  for (const pattern of patterns) problems.push(...match(next.frame.readable.hello, resolveVars(pattern, vars(state)), "hello"));
  if (problems.length > 0) throw new CaseFailure(`the plugin's Hello is not as expected:\n  ${problems.join("\n  ")}`);
}

async function expectFrame(state: RunState, pattern: unknown, skip: string[], withinMs: number | undefined): Promise<void> {
  const next = await nextFrame(state, skip, withinMs);
  if (next === undefined) throw new CaseFailure(`expected a frame like ${show(pattern)} within ${withinMs} ms; none came`);
  if ("end" in next) throw new CaseFailure(`expected a frame like ${show(pattern)}, but ${next.end}`);
  state.host.next++;
  const problems = match(next.frame.readable, resolveVars(pattern, vars(state)), "frame");
  if (problems.length > 0) throw new CaseFailure(`expected a frame like ${show(pattern)}, got ${show(next.frame.readable)}:\n  ${problems.join("\n  ")}`);
}

async function expectFrames(state: RunState, patterns: unknown[], skip: string[], withinMs: number | undefined): Promise<void> {
  const got: Received[] = [];
  for (let i = 0; i < patterns.length; i++) {
    const next = await nextFrame(state, skip, withinMs);
    if (next === undefined || "end" in next) {
      throw new CaseFailure(`expected ${patterns.length} frames like ${show(patterns)} in any order; after ${show(got.map((r) => r.readable))}, ${next?.end ?? `none came within ${withinMs} ms`}`);
    }
    state.host.next++;
    got.push(next.frame);
  }
  const resolved = patterns.map((p) => resolveVars(p, vars(state)));
  if (!assignable(resolved, got)) {
    throw new CaseFailure(`expected frames like ${show(patterns)} in any order, got ${show(got.map((r) => r.readable))}`);
  }
}

/** assignable says whether each pattern matches a different frame (a small backtracking search). */
function assignable(patterns: unknown[], frames: Received[], used = new Set<number>()): boolean {
  if (patterns.length === 0) return true;
  const [first, ...rest] = patterns;
  return frames.some((frame, i) => {
    if (used.has(i) || match(frame.readable, first).length > 0) return false;
    used.add(i);
    const ok = assignable(rest, frames, used);
    used.delete(i);
    return ok;
  });
}

async function expectNoFrame(state: RunState, forMs: number, skip: string[]): Promise<void> {
  const next = await nextFrame(state, skip, forMs);
  if (next !== undefined && "frame" in next) throw new CaseFailure(`expected no frame for ${forMs} ms, got ${show(next.frame.readable)}`);
}

async function expectClosed(state: RunState, withinMs: number | undefined): Promise<void> {
  const { host, plugin } = state;
  await connection(state, "expectClosed");
  const waited = await state.watch.until(() => (host.ended !== undefined || host.closedByHost ? true : undefined), { signal: state.signal, withinMs });
  if (!waited.ok) throw new CaseFailure(`expected the plugin to close the connection within ${withinMs} ms; it is still open (the plugin ${plugin.describeExit()})`);
  if (host.closedByHost) throw new CaseFailure("expectClosed: the fake host closed the connection itself; expectClosed checks that the plugin closes it");
  const unread = host.received.slice(host.next);
  host.next = host.received.length;
  if (unread.length > 0) {
    throw new CaseFailure(`expected the plugin to close the connection without sending anything more (§1.2 "close the connection"), but it sent ${show(unread.map((r) => r.readable))}`);
  }
  if (host.decodeError) throw new CaseFailure(`expected the plugin to close the connection, but it first sent bytes that do not decode: ${host.decodeError.message}`);
}
