// The steps about the plugin's processes (PROTOCOL.md §11, §13.3, §14): kill an instance,
// wait for one of the host's events, and check that a process has ended.

import { CaseFailure } from "../case-types.js";
import { match, show } from "../match.js";
import { checkExpectation } from "./expectations.js";
import type { HostEventRecord, Session } from "./session.js";
import type { StepKind } from "./step-kind.js";
import { expectationFromSpec } from "./value-spec.js";

/** hostEventNames are the events of PluginHost.on that waitEvent can wait for. */
export const hostEventNames = ["instance", "exit", "restart", "failed"] as const;

const DEFAULT_GONE_MS = 3_000;
const GONE_POLL_MS = 25;

/** processSteps are kill, waitEvent and processGone. */
export const processSteps: Record<string, StepKind> = {
  kill: {
    fields: { instance: "number", signal: "string" },
    check(body, where, shape) {
      shape.positive(body.instance, `${where}.instance`, true);
      if (body.signal !== undefined && !/^SIG[A-Z0-9]+$/.test(body.signal as string)) shape.problem(`${where}.signal must name a signal such as SIGKILL; got ${String(body.signal)}`);
    },
    async run(body, session) {
      const slot = (body.instance as number | undefined) ?? 0;
      const signal = (body.signal as NodeJS.Signals | undefined) ?? "SIGKILL";
      const instance = session.running.stats().plugins[session.pluginName]?.instances[slot];
      if (instance?.pid === undefined) throw new CaseFailure(`kill: instance slot ${slot} has no process (stats: ${show(instance)})`);
      session.trace(`kill ${instance.id} (pid ${instance.pid}) with ${signal}`);
      process.kill(instance.pid, signal);
    },
  },
  waitEvent: {
    fields: { "event!": "string", match: "map", withinMs: "number" },
    check(body, where, shape) {
      shape.oneOf(body.event, hostEventNames, `${where}.event`);
      shape.positive(body.withinMs, `${where}.withinMs`);
      if (body.match !== undefined) checkExpectation(body.match, `${where}.match`, shape);
    },
    async run(body, session) {
      const expected = expectationFromSpec(body.match ?? {});
      const fits = (record: HostEventRecord) => record.event === body.event && !session.eventsTaken.has(record) && match(record, expected, "event").length === 0;
      const what = `the host's ${String(body.event)} event like ${show(body.match ?? {})}`;
      const explain = () => `the events so far: ${show(session.events)}`;
      const found = await session.until(() => session.events.find(fits), what, (body.withinMs as number | undefined) ?? session.remainingMs(), explain);
      session.eventsTaken.add(found);
    },
  },
  processGone: {
    fields: { "call!": "string", path: "string", withinMs: "number" },
    check: (body, where, shape) => shape.positive(body.withinMs, `${where}.withinMs`),
    async run(body, session) {
      const pid = pidOf(session, body.call as string, (body.path as string | undefined) ?? "pid");
      const limit = (body.withinMs as number | undefined) ?? DEFAULT_GONE_MS;
      session.trace(`waiting for process ${pid} to be gone`);
      const stop = new AbortController();
      try {
        await session.settle(gone(pid, AbortSignal.any([session.ctx.signal, stop.signal])), `the end of process ${pid}`, limit);
      } finally {
        stop.abort();
      }
    },
  },
};

function pidOf(session: Session, label: string, path: string): number {
  const outcome = session.outcomes.get(label);
  if (outcome === undefined) throw new Error(`processGone: the call ${label} has not settled; await it first`);
  if (!outcome.ok) throw new CaseFailure(`processGone: the call ${label} failed, so it gave no pid`);
  let value: unknown = outcome.value;
  for (const key of path.split(".")) value = (value as Record<string, unknown> | null)?.[key];
  if (typeof value !== "number" || !Number.isInteger(value)) throw new CaseFailure(`processGone: ${label}'s value has no process id at ${path}: ${show(outcome.value)}`);
  return value;
}

/**
 * gone resolves when no process has `pid`. A process that is not this one's child sends no
 * event when it ends, so this is the one wait of the suite that polls (every 25 ms), until
 * the process is gone or `stop` aborts.
 */
function gone(pid: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      try {
        process.kill(pid, 0);
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === "ESRCH";
      }
    };
    if (check()) return resolve();
    const timer = setInterval(() => {
      if (check() || stop.aborted) {
        clearInterval(timer);
        resolve();
      }
    }, GONE_POLL_MS);
  });
}
