// The stream step: a streaming call read through PluginHost.stream (PROTOCOL.md §10), its
// items matched in order, `take` items then left (which cancels it, §10.4), or its error matched.

import type { PlainValue, StreamOptions } from "@polyproc/host";
import { match, show } from "../match.js";
import { errorView } from "./call-outcome.js";
import { checkOutcomeExpectation, failIf } from "./expectations.js";
import type { Session } from "./session.js";
import type { StepBody, StepKind } from "./step-kind.js";
import { checkValueSpec, expectationFromSpec, plainFromSpec } from "./value-spec.js";

/** The items traced one by one; the rest are counted in the summary line. */
const TRACED_ITEMS = 10;

/** StreamRead is how reading a stream went: the items, and the error that ended it if one did. */
interface StreamRead {
  items: unknown[];
  error: Record<string, unknown> | undefined;
  /** The reader left after `take` items (the stream was cancelled, §10.4). */
  left: boolean;
  elapsedMs: number;
}

interface StreamExpectation {
  items?: unknown;
  count?: number;
  error?: unknown;
}

/**
 * streamStep reads a streaming function with PluginHost.stream: up to `take` items, then it
 * leaves the loop (cancelling the stream), or to the stream's end. `window` is the credit
 * window (default the host's, 32). `expect.items` matches the items read, `expect.count`
 * their number, `expect.error` the error that ended the stream; without `error` the stream
 * must end normally or be left after `take` items.
 */
export const streamStep: StepKind = {
  fields: {
    "fn!": "string",
    args: "any",
    timeoutMs: "number",
    metadata: "stringMap",
    window: "number",
    take: "number",
    expect: "map",
    settlesWithinMs: "number",
  },
  check(body, where, shape) {
    checkValueSpec(body.args, `${where}.args`, shape, false);
    shape.positive(body.timeoutMs, `${where}.timeoutMs`);
    shape.positive(body.take, `${where}.take`);
    shape.positive(body.settlesWithinMs, `${where}.settlesWithinMs`);
    if (body.window !== undefined && (!Number.isInteger(body.window) || (body.window as number) < 1)) {
      shape.problem(`${where}.window must be an integer ≥ 1 (the items the plugin may send ahead); got ${String(body.window)}`);
    }
    const expect = shape.fields(body.expect ?? {}, { items: "list", count: "number", error: "any" }, `${where}.expect`);
    if (expect.items !== undefined) checkValueSpec(expect.items, `${where}.expect.items`, shape, true);
    if (expect.error !== undefined) checkOutcomeExpectation({ error: expect.error }, `${where}.expect`, shape);
  },
  async run(body, session) {
    const fn = body.fn as string;
    const read = await readStream(session, body);
    const ending = read.left ? "left after take" : read.error === undefined ? "ended" : `ended with ${show(read.error)}`;
    const observed = `${read.items.length} items ${show(read.items)}, ${ending} after ${Math.round(read.elapsedMs)} ms`;
    session.trace(`← ${fn}: ${observed}`);
    failIf(streamProblems(read, (body.expect ?? {}) as StreamExpectation, body.settlesWithinMs as number | undefined), `the stream ${fn}`, observed);
  },
};

/** readStream reads the stream a step describes, leaving it after `take` items; it always stops reading. */
async function readStream(session: Session, body: StepBody): Promise<StreamRead> {
  const fn = body.fn as string;
  const args = plainFromSpec(body.args ?? null) as PlainValue;
  const take = body.take as number | undefined;
  const options: StreamOptions = {};
  if (body.timeoutMs !== undefined) options.timeoutMs = body.timeoutMs as number;
  if (body.metadata !== undefined) options.metadata = body.metadata as Record<string, string>;
  if (body.window !== undefined) options.window = body.window as number;
  session.trace(`→ stream ${fn} ${show(args)}${take === undefined ? "" : ` take ${take}`}${body.window === undefined ? "" : ` window ${String(body.window)}`}`);
  const startedAt = performance.now();
  const stream = session.running.stream(session.pluginName, fn, args, options);
  const items: unknown[] = [];
  const ended = (error: Record<string, unknown> | undefined, left: boolean): StreamRead => ({ items, error, left, elapsedMs: performance.now() - startedAt });
  try {
    for (;;) {
      if (take !== undefined && items.length >= take) return ended(undefined, true);
      // The stream's own error is an outcome to match; the wait's (a CaseFailure, an abort) fails the step.
      const next = await session.settle(
        stream.next().then((result) => ({ result }), (error: unknown) => ({ error })),
        `item ${items.length} of the stream ${fn}`,
      );
      if ("error" in next) return ended(errorView(next.error), false);
      if (next.result.done === true) return ended(undefined, false);
      if (items.length < TRACED_ITEMS) session.trace(`← item ${show(next.result.value)}`);
      items.push(next.result.value);
    }
  } finally {
    await stream.return?.();
  }
}

function streamProblems(read: StreamRead, expect: StreamExpectation, withinMs: number | undefined): string[] {
  const problems: string[] = [];
  if (expect.count !== undefined && read.items.length !== expect.count) problems.push(`expected ${expect.count} items, got ${read.items.length}`);
  if (expect.items !== undefined) problems.push(...match(read.items, expectationFromSpec(expect.items), "items"));
  if (expect.error !== undefined) {
    if (read.error === undefined) problems.push(`expected the stream to end with an error like ${show(expect.error)}, but it ${read.left ? "was still running when left" : "ended normally"}`);
    else problems.push(...match(read.error, expectationFromSpec(expect.error), "error"));
  } else if (read.error !== undefined) {
    problems.push("expected the stream to end normally, but it ended with an error");
  }
  if (withinMs !== undefined && read.elapsedMs > withinMs) problems.push(`expected it to settle within ${withinMs} ms of its start`);
  return problems;
}
