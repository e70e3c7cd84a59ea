// The steps that look at the host or change its plugins: stats, functions, logs (what the
// host logged, PROTOCOL.md §2.5), close (§13), stop, restart, and the live operations reload
// and unload, and load.

import type { PluginConfig, PluginStats } from "@polyproc/host";
import { CaseFailure } from "../case-types.js";
import { match, show } from "../match.js";
import { checkExpectation, failIf } from "./expectations.js";
import type { Shape } from "./shape.js";
import type { Session } from "./session.js";
import type { StepBody, StepKind } from "./step-kind.js";
import { expectationFromSpec } from "./value-spec.js";

const DEFAULT_LOGS_MS = 5_000;

/** hostSteps are stats, functions, logs, close, stop, restart, reload, load and unload. */
export const hostSteps: Record<string, StepKind> = {
  stats: {
    fields: { "expect!": "map", withinMs: "number" },
    check: checkExpectAndLimit,
    run: (body, session) => untilMatches(session, body, "the plugin's stats", "stats", () => pluginStats(session), body.withinMs as number | undefined),
  },
  functions: {
    fields: { "expect!": "any" },
    check: (body, where, shape) => checkExpectation(body.expect, `${where}.expect`, shape),
    async run(body, session) {
      const functions = session.running.functions();
      failIf(match(functions, expectationFromSpec(body.expect), "functions"), "host.functions()", show(functions));
    },
  },
  logs: {
    fields: { expect: "any", exclude: "string", withinMs: "number" },
    check(body, where, shape) {
      if (body.expect === undefined && body.exclude === undefined) shape.problem(`${where}: give expect (records to find), exclude (a pattern no record may show) or both`);
      if (body.expect !== undefined) checkExpectAndLimit(body, where, shape);
      if (typeof body.exclude === "string") checkPattern(body.exclude, `${where}.exclude`, shape);
    },
    async run(body, session) {
      if (body.expect !== undefined) {
        await untilMatches(session, body, "the host's log records", "logs", () => session.logs, (body.withinMs as number | undefined) ?? DEFAULT_LOGS_MS);
      }
      if (body.exclude !== undefined) {
        const pattern = new RegExp(body.exclude as string);
        const shown = session.logs.find((record) => pattern.test(fullText(record)));
        if (shown !== undefined) throw new CaseFailure(`a log record shows /${pattern.source}/: ${show(shown)}`);
      }
    },
  },
  close: {
    fields: { graceMs: "number", settlesWithinMs: "number", settlesAfterMs: "number" },
    check(body, where, shape) {
      shape.positive(body.graceMs, `${where}.graceMs`, true);
      shape.positive(body.settlesWithinMs, `${where}.settlesWithinMs`);
    },
    async run(body, session) {
      const graceMs = body.graceMs as number | undefined;
      session.trace(`close${graceMs === undefined ? "" : ` grace ${graceMs} ms`}`);
      const startedAt = performance.now();
      await session.settle(session.running.close(graceMs === undefined ? {} : { graceMs }), "host.close()");
      const elapsed = performance.now() - startedAt;
      session.trace(`closed after ${Math.round(elapsed)} ms`);
      const within = body.settlesWithinMs as number | undefined;
      const after = body.settlesAfterMs as number | undefined;
      if (within !== undefined && elapsed > within) throw new CaseFailure(`host.close() took ${Math.round(elapsed)} ms; expected at most ${within} ms`);
      if (after !== undefined && elapsed < after) throw new CaseFailure(`host.close() took ${Math.round(elapsed)} ms; expected at least ${after} ms`);
    },
  },
  stop: {
    fields: { graceMs: "number" },
    check: (body, where, shape) => shape.positive(body.graceMs, `${where}.graceMs`, true),
    async run(body, session) {
      session.trace(`stop ${session.pluginName}`);
      await session.settle(session.running.stop(session.pluginName, graceOf(body)), "host.stop()");
    },
  },
  restart: {
    fields: { graceMs: "number" },
    check: (body, where, shape) => shape.positive(body.graceMs, `${where}.graceMs`, true),
    async run(body, session) {
      session.trace(`restart ${session.pluginName}`);
      await session.settle(session.running.restart(session.pluginName, graceOf(body)), "host.restart()");
    },
  },
  reload: {
    fields: { graceMs: "number", command: "strings", failsWith: "string" },
    check(body, where, shape) {
      shape.positive(body.graceMs, `${where}.graceMs`, true);
      checkCommand(body, where, shape);
    },
    async run(body, session) {
      const config = body.command === undefined ? undefined : { ...caseConfig(session, "reload"), command: body.command as string[] };
      session.trace(`reload ${session.pluginName}${config === undefined ? "" : ` with ${show(config.command)}`}`);
      await expectOutcome(session, session.running.reload(session.pluginName, config, graceOf(body)), "host.reload()", body.failsWith as string | undefined);
    },
  },
  load: {
    fields: { command: "strings", failsWith: "string" },
    check: checkCommand,
    async run(body, session) {
      const config = { ...caseConfig(session, "load"), ...(body.command === undefined ? {} : { command: body.command as string[] }) };
      session.trace(`load ${session.pluginName} with ${show(config.command)}`);
      await expectOutcome(session, session.running.load(config), "host.load()", body.failsWith as string | undefined);
    },
  },
  unload: {
    fields: { graceMs: "number" },
    check: (body, where, shape) => shape.positive(body.graceMs, `${where}.graceMs`, true),
    async run(body, session) {
      session.trace(`unload ${session.pluginName}`);
      await session.settle(session.running.unload(session.pluginName, graceOf(body)), "host.unload()");
    },
  },
};

function checkCommand(body: StepBody, where: string, shape: Shape): void {
  if (Array.isArray(body.command) && body.command.length === 0) shape.problem(`${where}.command must name a program`);
}

function caseConfig(session: Session, step: string): PluginConfig {
  const config = session.pluginConfig;
  if (config === undefined) throw new Error(`${step}: the case's plugin config is not known`);
  return config;
}

// A live operation settles; with failsWith it must fail with a message containing it, else succeed.
async function expectOutcome(session: Session, operation: Promise<void>, what: string, failsWith: string | undefined): Promise<void> {
  const failure = await session.settle(
    operation.then(
      () => undefined,
      (error: unknown) => error as Error,
    ),
    what,
  );
  if (failsWith === undefined && failure !== undefined) throw new CaseFailure(`${what} failed: ${failure.message}`);
  if (failsWith !== undefined && failure === undefined) throw new CaseFailure(`${what} succeeded; expected it to fail with a message containing ${JSON.stringify(failsWith)}`);
  if (failsWith !== undefined && failure !== undefined && !failure.message.toLowerCase().includes(failsWith.toLowerCase())) {
    throw new CaseFailure(`${what} failed with ${JSON.stringify(failure.message)}; expected a message containing ${JSON.stringify(failsWith)}`);
  }
}

function checkExpectAndLimit(body: StepBody, where: string, shape: Shape): void {
  checkExpectation(body.expect, `${where}.expect`, shape);
  shape.positive(body.withinMs, `${where}.withinMs`);
}

/** fullText renders a whole log record (show() shortens), so that exclude sees every field. */
function fullText(record: object): string {
  return JSON.stringify(record, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
}

function checkPattern(source: string, where: string, shape: Shape): void {
  try {
    new RegExp(source);
  } catch (error) {
    shape.problem(`${where} is not a regular expression: ${(error as Error).message}`);
  }
}

function graceOf(body: StepBody): { graceMs?: number } {
  return body.graceMs === undefined ? {} : { graceMs: body.graceMs as number };
}

function pluginStats(session: Session): PluginStats | undefined {
  return session.running.stats().plugins[session.pluginName];
}

/** untilMatches checks `observe()` against the step's expect, at once, or on every change for `withinMs`. */
async function untilMatches(session: Session, body: StepBody, what: string, path: string, observe: () => unknown, withinMs: number | undefined): Promise<void> {
  const expected = expectationFromSpec(body.expect);
  const problems = () => match(observe(), expected, path);
  if (withinMs === undefined) {
    failIf(problems(), what, show(observe()));
    return;
  }
  await session.until(() => (problems().length === 0 ? true : undefined), `${what} to match ${show(body.expect)}`, withinMs, () => problems().join("; "));
}
