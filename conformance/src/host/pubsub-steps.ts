// The steps of host cases that use the host's publish/subscribe API beside the fake plugin
// (PROTOCOL.md §12): hostPublish, hostSubscribe and expectHostMessages.

import type { PlainValue } from "@polyproc/host";
import { CaseFailure } from "../case-types.js";
import { isRecord } from "../load-cases.js";
import { match, show } from "../match.js";
import type { HostSession } from "./host-session.js";
import { raceSignal } from "./relay-server.js";
import type { ReceivedMessage } from "../received-message.js";
import { type StepContext, within } from "./step-context.js";

type Options = Record<string, unknown>;


/** An application subscription of a case: the messages it got, how many were matched, and who waits. */
interface Inbox {
  messages: ReceivedMessage[];
  taken: number;
  wake: () => void;
}

const inboxes = new WeakMap<HostSession, Map<string, Inbox>>();

/** pubsubStepNames are the steps of this file, with the sibling keys they take. */
export const pubsubStepNames: Record<string, string[]> = { hostPublish: [], hostSubscribe: [], expectHostMessages: [] };

const keys = (value: unknown, allowed: string[], step: string): string[] =>
  isRecord(value) ? Object.keys(value).filter((key) => !allowed.includes(key)).map((key) => `${step}: unknown key ${key}; it takes ${allowed.join(", ")}`) : [`${step} takes a map (${allowed.join(", ")})`];

/** pubsubChecks validate the steps of this file. */
export const pubsubChecks: Record<string, (value: unknown) => string[]> = {
  hostPublish: (value) => [...keys(value, ["topic", "value", "metadata"], "hostPublish"), ...(isRecord(value) && typeof value.topic === "string" ? [] : ["hostPublish.topic must be a string"])],
  hostSubscribe: (value) => [
    ...keys(value, ["pattern", "as"], "hostSubscribe"),
    ...(isRecord(value) && typeof value.pattern === "string" && typeof value.as === "string" ? [] : ["hostSubscribe takes {pattern, as}: strings"]),
  ],
  expectHostMessages: (value) => [
    ...keys(value, ["subscription", "expect", "withinMs"], "expectHostMessages"),
    ...(isRecord(value) && typeof value.subscription === "string" && Array.isArray(value.expect) ? [] : ["expectHostMessages takes {subscription, expect: [messages], withinMs?}"]),
  ],
};

/** hostPublish waits for the host to have started and publishes with host.publish. */
export async function hostPublish(context: StepContext, options: Options): Promise<void> {
  const host = await raceSignal(context.session.started, context.signal);
  const metadata = options.metadata as Record<string, string> | undefined;
  await raceSignal(host.publish(options.topic as string, (options.value ?? null) as PlainValue, metadata === undefined ? {} : { metadata }), context.signal);
}

/** hostSubscribe subscribes the application to a pattern, its messages kept under `as`. */
export async function hostSubscribe(context: StepContext, options: Options): Promise<void> {
  const host = await raceSignal(context.session.started, context.signal);
  const inbox: Inbox = { messages: [], taken: 0, wake: () => {} };
  const byLabel = inboxes.get(context.session) ?? new Map<string, Inbox>();
  inboxes.set(context.session, byLabel.set(options.as as string, inbox));
  host.subscribe(options.pattern as string, (value, { topic, metadata }) => {
    inbox.messages.push({ topic, value, metadata });
    context.trace(`host: ${String(options.as)} received ${show({ topic, value, metadata })}`);
    inbox.wake();
  });
}

/** expectHostMessages waits for as many new messages as `expect` lists on a subscription, and matches them in order. */
export async function expectHostMessages(context: StepContext, options: Options): Promise<void> {
  const label = options.subscription as string;
  const inbox = inboxes.get(context.session)?.get(label);
  if (inbox === undefined) throw new Error(`expectHostMessages: no hostSubscribe step is labelled ${label}`);
  const expected = options.expect as unknown[];
  const fresh = () => inbox.messages.slice(inbox.taken, inbox.taken + expected.length);
  await within(context, options.withinMs as number | undefined, `${expected.length} message(s) on ${label}`, async (signal) => {
    while (fresh().length < expected.length) await raceSignal(new Promise<void>((resolve) => (inbox.wake = resolve)), signal);
  });
  const got = fresh();
  inbox.taken += expected.length;
  const differences = match(got, expected, label);
  if (differences.length > 0) throw new CaseFailure(`the messages of ${label} differ: ${differences.join("; ")} (got ${show(got)})`);
}
