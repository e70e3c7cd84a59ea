// The steps that play the plugin's side of the connection: Hello, frames and raw bytes sent,
// frames expected from the host, closing the connection and ending the process.

import type { Frame } from "@polyproc/protocol";
import { CaseFailure } from "../case-types.js";
import { match, show } from "../match.js";
import { bytesFromSpec } from "../wire/frame-bytes.js";
import { frameFromSpec, frameKind, readableFrame } from "../wire/frame-spec.js";
import { helloSpec } from "./hello-spec.js";
import type { LinkEvent } from "./relay-link.js";
import { raceSignal } from "./relay-server.js";
import { abortAfter } from "../abort-after.js";
import { type StepContext, resolveIds, within } from "./step-context.js";

type Step = Record<string, unknown>;
type Options = Record<string, unknown>;

/** hello sends the Hello of helloSpec, with `trailing` bytes in the same write. */
export function hello(context: StepContext, overrides: Options): void {
  const report = context.reports[context.reports.length - 1]!;
  const previous = context.reports[context.reports.length - 2];
  const frame = frameFromSpec(helloSpec(overrides, { token: String(report.token), previousToken: previous?.token as string | undefined, pid: Number(report.pid) }));
  context.link.sendFrame(frame, overrides.trailing === undefined ? undefined : bytesFromSpec(overrides.trailing));
}

/** handshake sends a valid Hello (with overrides), expects Welcome and waits until PluginHost.start resolves. */
export async function handshake(context: StepContext, overrides: Options): Promise<void> {
  hello(context, overrides);
  await expectFrame(context, { expectFrame: { welcome: {} } });
  await within(context, undefined, "PluginHost.start to resolve", (signal) => raceSignal(context.session.started, signal));
}

/** send writes one frame, or `repeat` copies in one write, the id counting up from the spec's. */
export function send(context: StepContext, step: Step): void {
  const spec = resolveIds(step.send, context.ids) as Record<string, Record<string, unknown>>;
  const repeat = typeof step.repeat === "number" ? step.repeat : 1;
  if (repeat === 1) return context.link.sendFrame(frameFromSpec(spec));
  const kind = frameKind(spec);
  const fields = spec[kind] ?? {};
  const first = Number(fields.id ?? 0);
  const frames: Frame[] = [];
  for (let i = 0; i < repeat; i++) frames.push(frameFromSpec({ [kind]: { ...fields, ...(fields.id === undefined ? {} : { id: first + i }) } }));
  context.link.sendFrames(frames);
}

/** sendRaw writes the bytes of one bytes spec, or of a list of them concatenated, in one write. */
export function sendRaw(context: StepContext, spec: unknown): void {
  const specs = Array.isArray(spec) ? spec : [spec];
  context.link.sendBytes(concat(specs.map((s) => bytesFromSpec(resolveIds(s, context.ids)))));
}

/**
 * expectFrame waits for the next frame from the host (skipping the kinds of `skip`; by
 * default Pings while they are answered automatically) and matches it; `as` records its id.
 */
export async function expectFrame(context: StepContext, step: Step): Promise<void> {
  const pattern = step.expectFrame;
  const kind = frameKind(pattern);
  const skip = (step.skip as string[] | undefined) ?? (context.link.autoPong ? ["ping"] : []);
  const withinMs = step.withinMs as number | undefined;
  for (;;) {
    const event = await nextEvent(context, withinMs, `a ${kind} frame from the host`);
    if (event.type !== "frame") throw new CaseFailure(`expected a ${kind} frame like ${show(pattern)}; instead ${describe(event)}`);
    if (skip.includes(event.frame.kind.case ?? "")) continue;
    const readable = readableFrame(event.frame);
    const differences = match(readable, pattern, "frame");
    if (differences.length > 0) throw new CaseFailure(`expected a frame like ${show(pattern)}, got ${show(readable)}: ${differences.join("; ")}`);
    if (typeof step.as === "string") context.ids.set(step.as, idOf(readable));
    return;
  }
}

/**
 * expectNoFrame measures that no frame (but those of `ignore`) arrives for `forMs`, and that
 * the connection stays open unless `allowClose`.
 */
export async function expectNoFrame(context: StepContext, options: Options): Promise<void> {
  const ignore = (options.ignore as string[] | undefined) ?? (context.link.autoPong ? ["ping"] : []);
  const forMs = options.forMs as number;
  const allowClose = options.allowClose === true;
  const limit = abortAfter(context.signal, forMs);
  const signal = limit.signal;
  const noticed = (event: LinkEvent) => (event.type === "frame" ? !ignore.includes(event.frame.kind.case ?? "") : !(allowClose && event.type === "closed"));
  if (!allowClose && context.link.closed && context.link.inbox.all().length === 0) throw new CaseFailure(`expected the connection to stay open and quiet for ${forMs} ms; it had closed`);
  try {
    const event = await context.link.inbox.take(noticed, signal);
    throw new CaseFailure(`expected nothing from the host for ${forMs} ms; instead ${describe(event)}`);
  } catch (error) {
    if (error instanceof CaseFailure || context.signal.aborted) throw error;
  } finally {
    limit.dispose();
  }
}

/**
 * expectClosed waits for the connection to end (the host closed it, or the process was
 * ended). Frames of the kinds in `allow` (default ping, pong, goodbye) may come first.
 */
export async function expectClosed(context: StepContext, options: Options): Promise<void> {
  const allow = (options.allow as string[] | undefined) ?? ["ping", "pong", "goodbye"];
  for (;;) {
    const event = await nextEvent(context, options.withinMs as number | undefined, "the connection to close");
    if (event.type === "closed") return;
    if (event.type === "frame" && allow.includes(event.frame.kind.case ?? "")) continue;
    throw new CaseFailure(`expected the host to close the connection without another frame; instead ${describe(event)}`);
  }
}

/** close closes the fake plugin's end of the connection; the process exits with exitCode (default 1) unless exit is false. */
export function close(context: StepContext, options: Options): void {
  context.link.end(options.exit === false ? null : ((options.exitCode as number | undefined) ?? 1));
}

/** nextInstance waits for the next plugin process the host starts (a restart) and drives it from now on. */
export async function nextInstance(context: StepContext, options: Options): Promise<void> {
  const link = await within(context, options.withinMs as number | undefined, "the host to start another instance", (signal) => context.relays.next(signal));
  const report = await link.report;
  report.tokenReused = context.reports.some((seen) => seen.token === report.token);
  context.reports.push(report);
  context.link = link;
  context.trace(`relay ${link.index}: ${show(report)}`);
  await within(context, options.withinMs as number | undefined, "the new instance to connect", (signal) => raceSignal(link.opened, signal));
}

/** expectReport matches what the current plugin process found in its environment. */
export function expectReport(context: StepContext, pattern: unknown): void {
  const report = context.reports[context.reports.length - 1];
  const differences = match(report, pattern, "report");
  if (differences.length > 0) throw new CaseFailure(`the plugin process's environment is not as expected: ${differences.join("; ")}`);
}

// The next event of the connection; a connection that already closed reports that at once.
function nextEvent(context: StepContext, ms: number | undefined, expected: string): Promise<LinkEvent> {
  const { link } = context;
  if (link.closed && link.inbox.all().length === 0) return Promise.resolve({ type: "closed", error: "the connection had already closed" });
  return within(context, ms, expected, (signal) => link.inbox.shift(signal));
}

function describe(event: LinkEvent): string {
  if (event.type === "frame") return `the host sent ${show(readableFrame(event.frame))}`;
  if (event.type === "undecodable") return `the host sent bytes that do not decode: ${event.error.message}`;
  return `the connection closed (${event.error ?? "closed"})`;
}

function idOf(readable: Record<string, unknown>): number | string {
  const fields = Object.values(readable)[0] as Record<string, unknown> | undefined;
  const id = fields?.id;
  if (typeof id === "number" || typeof id === "bigint") return typeof id === "bigint" ? id.toString() : id;
  throw new CaseFailure(`"as" records a frame's id, but ${show(readable)} has none`);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
