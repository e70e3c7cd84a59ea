// The publish/subscribe steps (PROTOCOL.md §12, spec/CONFORMANCE.md §1.2 `publish` and the
// conformance.in → conformance.out echo), through PluginHost.subscribe and PluginHost.publish.
// Cases using them require the `pubsub` feature.

import type { PlainValue } from "@polyproc/host";
import { match, show } from "../match.js";
import { checkExpectation, failIf } from "./expectations.js";
import type { Session } from "./session.js";
import type { Shape } from "./shape.js";
import type { StepKind } from "./step-kind.js";
import type { ReceivedMessage } from "../received-message.js";
import { checkValueSpec, expectationFromSpec, plainFromSpec } from "./value-spec.js";

const TOPIC = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const PATTERN = /^(\*|[A-Za-z0-9_-]+)(\.(\*|[A-Za-z0-9_-]+))*(\.>)?$|^>$/;

/** checkTopic checks a topic (§12.1) or, with `pattern`, a pattern (§12.2). */
export function checkTopic(value: unknown, where: string, shape: Shape, pattern: boolean): void {
  if (typeof value !== "string") return;
  const valid = (pattern ? PATTERN : TOPIC).test(value) && Buffer.byteLength(value) <= 255;
  if (!valid) shape.problem(`${where}: ${JSON.stringify(value)} is not a valid ${pattern ? "pattern (PROTOCOL.md §12.2)" : "topic (PROTOCOL.md §12.1)"}`);
}


/** A subscription of a case: what it received, and how many of those expectPublished steps took. */
interface Inbox {
  messages: ReceivedMessage[];
  taken: number;
}

/** The subscriptions of each running case, by label. */
const inboxes = new WeakMap<Session, Map<string, Inbox>>();

function inboxOf(session: Session, label: string): Inbox {
  const inbox = inboxes.get(session)?.get(label);
  if (inbox === undefined) throw new Error(`no subscription is labelled ${label}`);
  return inbox;
}

/** pubsubSteps returns subscribe, publish and expectPublished; `subscriptions` collects the labels of one case. */
export function pubsubSteps(subscriptions: Set<string>): Record<string, StepKind> {
  return {
    subscribe: {
      fields: { "pattern!": "string", "as!": "string" },
      check(body, where, shape) {
        checkTopic(body.pattern, `${where}.pattern`, shape, true);
        if (typeof body.as === "string") subscriptions.add(body.as);
      },
      async run(body, session) {
        const label = body.as as string;
        const inbox: Inbox = { messages: [], taken: 0 };
        const byLabel = inboxes.get(session) ?? new Map<string, Inbox>();
        inboxes.set(session, byLabel.set(label, inbox));
        session.running.subscribe(body.pattern as string, (value, { topic, metadata }) => {
          inbox.messages.push({ topic, value, metadata });
          session.trace(`${label} received ${show({ topic, value, metadata })}`);
          session.changed();
        });
      },
    },
    publish: {
      fields: { "topic!": "string", value: "any", metadata: "stringMap" },
      check(body, where, shape) {
        checkTopic(body.topic, `${where}.topic`, shape, false);
        checkValueSpec(body.value, `${where}.value`, shape, false);
      },
      async run(body, session) {
        const metadata = body.metadata as Record<string, string> | undefined;
        await session.settle(
          session.running.publish(body.topic as string, plainFromSpec(body.value ?? null) as PlainValue, metadata === undefined ? {} : { metadata }),
          "host.publish()",
        );
      },
    },
    expectPublished: {
      fields: { "subscription!": "string", "expect!": "any", withinMs: "number" },
      check(body, where, shape) {
        if (typeof body.subscription === "string" && !subscriptions.has(body.subscription)) {
          shape.problem(`${where}.subscription: no earlier subscribe step is labelled ${body.subscription}`);
        }
        checkExpectation(body.expect, `${where}.expect`, shape);
        shape.positive(body.withinMs, `${where}.withinMs`);
      },
      async run(body, session) {
        const inbox = inboxOf(session, body.subscription as string);
        const expected = expectationFromSpec(body.expect);
        const count = Array.isArray(expected) ? expected.length : 1;
        const fresh = () => inbox.messages.slice(inbox.taken, inbox.taken + count);
        const limit = (body.withinMs as number | undefined) ?? session.remainingMs();
        await session.until(() => (fresh().length === count ? true : undefined), `${count} message(s) on subscription ${String(body.subscription)}`, limit, () => `received ${show(fresh())}`);
        const got = Array.isArray(expected) ? fresh() : fresh()[0];
        inbox.taken += count;
        failIf(match(got, expected, "published"), `subscription ${String(body.subscription)}`, show(got));
      },
    },
  };
}
