// CONFORMANCE_TRACING (spec/CONFORMANCE.md §1.1): with "1", the plugin traces through the
// SDK's OpenTelemetry support with a tracer provider that samples every span and exports
// them nowhere, as an application with an SDK registered would.

import { AlwaysOnSampler, BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import type { ServeOptions } from "@polyproc/sdk";

/** tracingOption is the `telemetry` option of serve() that CONFORMANCE_TRACING asks for. */
export function tracingOption(text: string | undefined): ServeOptions["telemetry"] {
  if (text === undefined || text === "") return undefined;
  if (text !== "1") {
    process.stderr.write(`CONFORMANCE_TRACING must be 1 or unset, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return { tracerProvider: new BasicTracerProvider({ sampler: new AlwaysOnSampler() }) };
}
