// The pub/sub part of the Node conformance plugin (spec/CONFORMANCE.md §1.2, feature pubsub):
// `publish`, and the echo of conformance.in.<rest> to conformance.out.<rest> for the patterns
// of CONFORMANCE_SUBSCRIPTIONS, subscribed before serve so that they go out in Hello.

import { topicMatches } from "@polyproc/protocol";
import type { PlainValue, Plugin } from "@polyproc/sdk";

const IN = "conformance.in.";
const OUT = "conformance.out.";

/** addPubsubFunctions registers `publish` and subscribes the echo to CONFORMANCE_SUBSCRIPTIONS (§1.1). */
export function addPubsubFunctions(plugin: Plugin): void {
  plugin.fn("publish", ({ topic, value }: { topic: string; value: PlainValue }, ctx) => {
    ctx.publish(topic, value ?? null);
    return null;
  });
  const patterns = subscriptions(process.env.CONFORMANCE_SUBSCRIPTIONS);
  for (const pattern of patterns) {
    plugin.subscribe(pattern, (value, { topic }) => {
      // Each matching subscription gets the message; the first one echoes it, so that one
      // message received is one message echoed.
      const first = patterns.find((candidate) => topicMatches(candidate, topic));
      if (first === pattern && topic.startsWith(IN)) plugin.publish(OUT + topic.slice(IN.length), value);
    });
  }
}

/** subscriptions reads CONFORMANCE_SUBSCRIPTIONS: comma-separated patterns, none by default. */
function subscriptions(text: string | undefined): string[] {
  return (text ?? "").split(",").map((pattern) => pattern.trim()).filter((pattern) => pattern !== "");
}
