// The steps that use the host's API beside the fake plugin: calls, the start's outcome,
// events, log records and closing the host.

import type { PlainValue } from "@polyproc/host";
import { CaseFailure } from "../case-types.js";
import { match, show } from "../match.js";
import { type CallOutcome, errorShape, type LogRecord } from "./host-session.js";
import { raceSignal } from "./relay-server.js";
import { type StepContext, within } from "./step-context.js";

type Options = Record<string, unknown>;

/**
 * hostCall starts host.call (once the host has started) and records it under `as`, or its
 * fn. With `stream: true` it reads the function with host.stream (credit `window`) to its
 * end instead: the call's value is then the list of items.
 */
export function hostCall(context: StepContext, options: Options): void {
  const callOptions: Record<string, unknown> = {};
  for (const key of ["timeoutMs", "metadata", "idempotent", "stream", "window"]) if (options[key] !== undefined) callOptions[key] = options[key];
  const fn = options.fn as string;
  context.session.call((options.as as string | undefined) ?? fn, fn, (options.args ?? null) as PlainValue, callOptions);
}

/** awaitCall waits for a call to settle (within settlesWithinMs of this step, if given) and matches its outcome. */
export async function awaitCall(context: StepContext, options: Options): Promise<void> {
  const name = options.call as string;
  const record = context.session.calls.get(name);
  if (record === undefined) throw new Error(`awaitCall: no hostCall named ${name} ran before; name it with hostCall's "as"`);
  const limit = options.settlesWithinMs as number | undefined;
  const outcome = await within(context, limit, `the call ${name} to settle`, (signal) => raceSignal(record.outcome, signal));
  const expect = options.expect as Options | undefined;
  if (expect === undefined) return;
  const differences = "value" in expect ? valueDifferences(outcome, expect.value) : errorDifferences(outcome, expect.error);
  if (differences.length > 0) throw new CaseFailure(`the call ${name} (${record.fn}) did not settle as expected: ${differences.join("; ")}`);
}

/** expectStartError waits for PluginHost.start to reject, and matches its error. */
export async function expectStartError(context: StepContext, pattern: unknown, withinMs: number | undefined): Promise<void> {
  const outcome = await within(context, withinMs, "PluginHost.start to settle", (signal) =>
    raceSignal(
      context.session.started.then(
        () => undefined,
        (error: unknown) => error,
      ),
      signal,
    ),
  );
  if (outcome === undefined) throw new CaseFailure(`expected PluginHost.start to fail with ${show(pattern)}; it started`);
  const differences = match(errorShape(outcome), pattern, "error");
  if (differences.length > 0) throw new CaseFailure(`PluginHost.start failed otherwise than expected: ${differences.join("; ")}`);
}

/** expectEvent waits for a host event of that name whose payload matches (events are taken once). */
export async function expectEvent(context: StepContext, options: Options): Promise<void> {
  const event = options.event as string;
  const pattern = options.match ?? {};
  const matches = (record: { event: string; payload: unknown }) => record.event === event && match(record.payload, pattern, event).length === 0;
  try {
    await within(context, options.withinMs as number | undefined, `a host "${event}" event like ${show(pattern)}`, (signal) => context.session.events.take(matches, signal));
  } catch (error) {
    if (!(error instanceof CaseFailure)) throw error;
    const seen = context.session.events.all().filter((record) => record.event === event);
    throw new CaseFailure(`${error.message}; the "${event}" events seen: ${seen.length === 0 ? "none" : seen.map((r) => show(r.payload)).join(", ")}`);
  }
}

/**
 * expectLog waits for a host log record matching {level, message, fields}; `contains` asks
 * for a text anywhere in the record (message or fields, case-insensitive).
 */
export async function expectLog(context: StepContext, options: Options): Promise<void> {
  const pattern: Options = {};
  for (const key of ["level", "message", "fields"]) if (options[key] !== undefined) pattern[key] = options[key];
  const text = typeof options.contains === "string" ? options.contains.toLowerCase() : undefined;
  const matches = (record: LogRecord) => match(record, pattern, "log").length === 0 && (text === undefined || recordText(record).includes(text));
  const expected = `a host log record like ${show(pattern)}${text === undefined ? "" : ` containing ${JSON.stringify(text)}`}`;
  await within(context, options.withinMs as number | undefined, expected, (signal) => context.session.logs.take(matches, signal));
}

/** closeHost starts host.close({graceMs}); expectHostClosed waits for it. */
export function closeHost(context: StepContext, options: Options): void {
  context.hostClosing = context.session.close(options.graceMs as number | undefined);
}

/** expectHostClosed waits for the host.close() that closeHost started to resolve. */
export async function expectHostClosed(context: StepContext, options: Options): Promise<void> {
  const closing = context.hostClosing;
  if (closing === undefined) throw new Error("expectHostClosed needs a closeHost step before it");
  await within(context, options.withinMs as number | undefined, "host.close() to resolve", (signal) => raceSignal(closing, signal));
}

function valueDifferences(outcome: CallOutcome, expected: unknown): string[] {
  if ("error" in outcome) return [`expected the value ${show(expected)}, got the error ${show(errorShape(outcome.error))}`];
  return match(outcome.value, expected, "value");
}

function errorDifferences(outcome: CallOutcome, expected: unknown): string[] {
  if (!("error" in outcome)) return [`expected an error like ${show(expected)}, got the value ${show(outcome.value)}`];
  return match(errorShape(outcome.error), expected, "error");
}

function recordText(record: LogRecord): string {
  return `${record.message} ${JSON.stringify(record.fields, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Error ? `${v.name}: ${v.message}` : v))}`.toLowerCase();
}
