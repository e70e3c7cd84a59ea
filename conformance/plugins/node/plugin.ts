// The Node SDK's conformance plugin (spec/CONFORMANCE.md §1): the functions of §1.2 for the
// features the node SDK declares (streaming, validation, concurrency-limit, host-calls,
// plugin-calls, pubsub, tracing), written with @polyproc/sdk as a user would.

import { definePlugin } from "@polyproc/sdk";
import { addCallFunctions } from "./call-functions.js";
import { addPubsubFunctions } from "./pubsub-functions.js";
import { addTimingFunctions } from "./timing-functions.js";
import { tracingOption } from "./tracing.js";
import { addValueFunctions } from "./value-functions.js";

const plugin = definePlugin({
  name: "conformance",
  version: "1.0.0",
  maxConcurrency: maxConcurrency(process.env.CONFORMANCE_MAX_CONCURRENCY),
  logLevel: "debug",
});
addValueFunctions(plugin);
addTimingFunctions(plugin);
addCallFunctions(plugin);
addPubsubFunctions(plugin);
await plugin.serve({ telemetry: tracingOption(process.env.CONFORMANCE_TRACING) });

/** maxConcurrency reads CONFORMANCE_MAX_CONCURRENCY (§1.1): a whole number ≥ 0, default 0 (no limit). */
function maxConcurrency(text: string | undefined): number {
  if (text === undefined || text === "") return 0;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`CONFORMANCE_MAX_CONCURRENCY must be a whole number ≥ 0, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}
