// The publish/subscribe steps (PROTOCOL.md §12, spec/CONFORMANCE.md §1.2 `publish` and the
// conformance.in → conformance.out echo). Cases using them require the `pubsub` feature. The
// PluginHost of this version has no publish or subscribe API (it does not offer the pubsub
// capability, §16.2), so these steps are checked like the others but end the case with an
// error saying so if they run.

import { checkExpectation } from "./expectations.js";
import type { Shape } from "./shape.js";
import type { StepKind } from "./step-kind.js";
import { checkValueSpec } from "./value-spec.js";

const TOPIC = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const PATTERN = /^(\*|[A-Za-z0-9_-]+)(\.(\*|[A-Za-z0-9_-]+))*(\.>)?$|^>$/;

/** checkTopic checks a topic (§12.1) or, with `pattern`, a pattern (§12.2). */
export function checkTopic(value: unknown, where: string, shape: Shape, pattern: boolean): void {
  if (typeof value !== "string") return;
  const valid = (pattern ? PATTERN : TOPIC).test(value) && Buffer.byteLength(value) <= 255;
  if (!valid) shape.problem(`${where}: ${JSON.stringify(value)} is not a valid ${pattern ? "pattern (PROTOCOL.md §12.2)" : "topic (PROTOCOL.md §12.1)"}`);
}

function noApi(what: string): never {
  throw new Error(`${what}: PluginHost has no publish/subscribe API in this version, so this step cannot run; the case requires the pubsub feature`);
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
      run: async () => noApi("subscribe"),
    },
    publish: {
      fields: { "topic!": "string", value: "any", metadata: "stringMap" },
      check(body, where, shape) {
        checkTopic(body.topic, `${where}.topic`, shape, false);
        checkValueSpec(body.value, `${where}.value`, shape, false);
      },
      run: async () => noApi("publish"),
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
      run: async () => noApi("expectPublished"),
    },
  };
}
