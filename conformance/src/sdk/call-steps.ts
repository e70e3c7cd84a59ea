// The steps that call the plugin through PluginHost.call (PROTOCOL.md §5–§8): call (awaited),
// start (running on, labelled), await, cancel, and concurrent (n identical calls at once).

import type { CallOptions, PlainValue } from "@polyproc/host";
import { match, show } from "../match.js";
import { type CallOutcome, describeOutcome, outcomeOf, outcomeProblems, type OutcomeExpectation } from "./call-outcome.js";
import { checkExpectation, checkOutcomeExpectation, failIf } from "./expectations.js";
import type { Fields, Shape } from "./shape.js";
import type { RunningCall, Session } from "./session.js";
import type { StepBody, StepKind } from "./step-kind.js";
import { checkValueSpec, expectationFromSpec, plainFromSpec } from "./value-spec.js";

const callFields: Fields = { "fn!": "string", args: "any", timeoutMs: "number", metadata: "stringMap", idempotent: "boolean", affinity: "string" };
const timingFields: Fields = { settlesWithinMs: "number", settlesAfterMs: "number" };

function checkCall(body: StepBody, where: string, shape: Shape): void {
  checkValueSpec(body.args, `${where}.args`, shape, false);
  shape.positive(body.timeoutMs, `${where}.timeoutMs`);
  shape.positive(body.settlesWithinMs, `${where}.settlesWithinMs`);
  shape.positive(body.settlesAfterMs, `${where}.settlesAfterMs`, true);
  checkOutcomeExpectation(body.expect, `${where}.expect`, shape);
}

/** startCall starts one call as a step describes it and traces it. */
function startCall(session: Session, body: StepBody): RunningCall {
  const fn = body.fn as string;
  const args = plainFromSpec(body.args ?? null) as PlainValue;
  const controller = new AbortController();
  const options: CallOptions = { signal: controller.signal };
  if (body.timeoutMs !== undefined) options.timeoutMs = body.timeoutMs as number;
  if (body.metadata !== undefined) options.metadata = body.metadata as Record<string, string>;
  if (body.idempotent !== undefined) options.idempotent = body.idempotent as boolean;
  if (body.affinity !== undefined) options.affinityKey = body.affinity as string;
  session.trace(`→ call ${fn} ${show(args)}${body.timeoutMs === undefined ? "" : ` timeout ${String(body.timeoutMs)} ms`}`);
  const startedAt = performance.now();
  const outcome = outcomeOf(session.running.call(session.pluginName, fn, args, options), startedAt).then((settled) => {
    session.trace(`← ${fn}: ${describeOutcome(settled)}`);
    session.changed();
    return settled;
  });
  return { fn, startedAt, controller, outcome };
}

async function finishCall(session: Session, call: RunningCall, body: StepBody, label: string | undefined): Promise<void> {
  const outcome = await session.settle(call.outcome, `the call to ${call.fn}`);
  if (label !== undefined) session.outcomes.set(label, outcome);
  const problems = outcomeProblems(outcome, body.expect as OutcomeExpectation | undefined, {
    withinMs: body.settlesWithinMs as number | undefined,
    afterMs: body.settlesAfterMs as number | undefined,
  });
  failIf(problems, `the call to ${call.fn}${label === undefined ? "" : ` (${label})`}`, describeOutcome(outcome));
}

function labelled(session: Session, label: string): RunningCall {
  const call = session.calls.get(label);
  if (call === undefined) throw new Error(`no call was started as ${label}; start it with a start step (as: ${label}) first`);
  return call;
}

function checkLabel(body: StepBody, key: string, where: string, shape: Shape, labels: Set<string>, define: boolean): void {
  const label = body[key];
  if (typeof label !== "string") return;
  if (define && labels.has(label)) shape.problem(`${where}.${key}: the label ${label} is used twice; give each call its own`);
  if (!define && !labels.has(label)) shape.problem(`${where}.${key}: no earlier call is labelled ${label} (as: ${label})`);
  if (define) labels.add(label);
}

/** callSteps returns the call steps; `labels` collects the labels of one case as its steps are checked in order. */
export function callSteps(labels: Set<string>): Record<string, StepKind> {
  return {
    call: {
      fields: { ...callFields, ...timingFields, as: "string", expect: "map" },
      check(body, where, shape) {
        checkCall(body, where, shape);
        checkLabel(body, "as", where, shape, labels, true);
      },
      async run(body, session) {
        const call = startCall(session, body);
        if (body.as !== undefined) session.calls.set(body.as as string, call);
        await finishCall(session, call, body, body.as as string | undefined);
      },
    },
    start: {
      fields: { ...callFields, "as!": "string" },
      check(body, where, shape) {
        checkCall(body, where, shape);
        checkLabel(body, "as", where, shape, labels, true);
      },
      async run(body, session) {
        session.calls.set(body.as as string, startCall(session, body));
      },
    },
    await: {
      fields: { "call!": "string", ...timingFields, expect: "map" },
      check(body, where, shape) {
        checkLabel(body, "call", where, shape, labels, false);
        checkOutcomeExpectation(body.expect, `${where}.expect`, shape);
      },
      run: (body, session) => finishCall(session, labelled(session, body.call as string), body, body.call as string),
    },
    cancel: {
      fields: { "call!": "string", reason: "string" },
      check: (body, where, shape) => checkLabel(body, "call", where, shape, labels, false),
      async run(body, session) {
        session.trace(`cancel ${String(body.call)}${body.reason === undefined ? "" : ` (${String(body.reason)})`}`);
        labelled(session, body.call as string).controller.abort(body.reason);
      },
    },
    concurrent: {
      fields: { "count!": "number", ...callFields, expect: "map" },
      check(body, where, shape) {
        checkCall({ ...body, expect: undefined }, where, shape);
        shape.positive(body.count, `${where}.count`);
        if (body.expect !== undefined) checkExpectation(body.expect, `${where}.expect`, shape);
      },
      async run(body, session) {
        const calls = Array.from({ length: body.count as number }, () => startCall(session, body));
        const outcomes = await session.settle(Promise.all(calls.map((call) => call.outcome)), `${String(body.count)} calls to ${String(body.fn)}`);
        const summary = summarize(outcomes);
        failIf(match(summary, expectationFromSpec(body.expect ?? { failed: 0 }), "calls"), `the ${outcomes.length} calls to ${String(body.fn)}`, show(summary));
      },
    },
  };
}

/** summarize is what a concurrent step's expect matches: counts, values in order of start, errors by code. */
function summarize(outcomes: CallOutcome[]): Record<string, unknown> {
  const errors: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (!outcome.ok) errors[String(outcome.error.code)] = (errors[String(outcome.error.code)] ?? 0) + 1;
  }
  const values = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
  return { succeeded: values.length, failed: outcomes.length - values.length, values, errors };
}
