// The stream step: a streaming call consumed through the host's API (PROTOCOL.md §10),
// its items matched in order, `take` items then cancelled, or its error matched.

import type { PlainValue } from "@polyproc/host";
import { CaseFailure } from "../case-types.js";
import { match, show } from "../match.js";
import { describeOutcome, outcomeOf } from "./call-outcome.js";
import { checkOutcomeExpectation } from "./expectations.js";
import type { StepKind } from "./step-kind.js";
import { checkValueSpec, expectationFromSpec, plainFromSpec } from "./value-spec.js";

/**
 * streamStep consumes a streaming function. PluginHost of this version has no API that
 * consumes streams: PluginHost.call is the only way to call, and it refuses a streaming
 * function with UNIMPLEMENTED. The step therefore calls it, matches an expected error (a
 * case may expect that refusal), and otherwise fails naming what the host did, so that
 * stream cases show the missing API until the host offers one.
 */
export const streamStep: StepKind = {
  fields: { "fn!": "string", args: "any", timeoutMs: "number", metadata: "stringMap", take: "number", expect: "map", settlesWithinMs: "number" },
  check(body, where, shape) {
    checkValueSpec(body.args, `${where}.args`, shape, false);
    shape.positive(body.timeoutMs, `${where}.timeoutMs`);
    shape.positive(body.take, `${where}.take`);
    shape.positive(body.settlesWithinMs, `${where}.settlesWithinMs`);
    const expect = shape.fields(body.expect ?? {}, { items: "list", count: "number", error: "any" }, `${where}.expect`);
    if (expect.items !== undefined) checkValueSpec(expect.items, `${where}.expect.items`, shape, true);
    if (expect.error !== undefined) checkOutcomeExpectation({ error: expect.error }, `${where}.expect`, shape);
  },
  async run(body, session) {
    const fn = body.fn as string;
    const args = plainFromSpec(body.args ?? null) as PlainValue;
    session.trace(`→ stream ${fn} ${show(args)}`);
    const options = { timeoutMs: body.timeoutMs as number | undefined, metadata: body.metadata as Record<string, string> | undefined };
    const outcome = await session.settle(outcomeOf(session.running.call(session.pluginName, fn, args, options), performance.now()), `the stream ${fn}`);
    session.trace(`← ${fn}: ${describeOutcome(outcome)}`);
    const expect = (body.expect ?? {}) as { items?: unknown; count?: number; error?: unknown };
    const wantsItems = expect.items !== undefined || expect.count !== undefined || expect.error === undefined;
    if (!wantsItems && !outcome.ok && match(outcome.error, expectationFromSpec(expect.error), "error").length === 0) return;
    throw new CaseFailure(
      `the stream ${fn}: expected ${wantsItems ? "a stream of items" : `a stream ending with the error ${show(expect.error)}`}, ` +
        `but PluginHost has no API that consumes a streaming call; PluginHost.call answered ${describeOutcome(outcome)}`,
    );
  },
};
