// The executor of sdk cases (spec/CONFORMANCE.md §3): the real PluginHost, in this process,
// with the SDK's conformance plugin, driven through the host's API step by step.

import { PluginHost } from "@polyproc/host";
import type { CaseContext, CaseExecutor, ConformanceCase } from "../case-types.js";
import { show } from "../match.js";
import { recordingLogger } from "./recording-logger.js";
import { type HostEventRecord, Session } from "./session.js";
import { checkSetup, hostOptions, pluginNameOf } from "./setup.js";
import { Shape } from "./shape.js";
import { parseSteps } from "./steps.js";
import { hostEventNames } from "./process-steps.js";
import { frameTracer } from "../wire/frame-trace.js";

/** CLOSE_GRACE_MS is the grace of the host.close that ends every case: short, then the processes are killed. */
const CLOSE_GRACE_MS = 200;

/** sdkExecutor runs `sdk` cases: PluginHost and an SDK's conformance plugin together. */
export const sdkExecutor: CaseExecutor = {
  kind: "sdk",
  validate(testCase) {
    const shape = new Shape();
    checkSetup(testCase.setup, shape);
    parseSteps(testCase.steps, shape);
    return shape.problems;
  },
  run: runCase,
};

async function runCase(testCase: ConformanceCase, ctx: CaseContext): Promise<void> {
  if (ctx.sdk === undefined) throw new Error(`${testCase.id} is an sdk case: run it with an SDK`);
  const shape = new Shape();
  checkSetup(testCase.setup, shape);
  const steps = parseSteps(testCase.steps, shape);
  if (shape.problems.length > 0) throw new Error(`${testCase.id} is malformed: ${shape.problems.join("; ")}`);
  const startedAt = performance.now();
  const trace = (line: string): void => ctx.trace(`+${Math.round(performance.now() - startedAt)}ms ${line}`);
  const session = new Session(testCase, { ...ctx, trace }, pluginNameOf(testCase.setup));
  const logger = recordingLogger(session.logs, trace, () => session.changed());
  const options = { ...hostOptions(testCase.setup, ctx.sdk, logger), wireTap: frameTracer(trace) };
  session.pluginConfig = options.plugins[0];
  trace(`start PluginHost: ${show({ ...options, logger: undefined, wireTap: undefined })}`);
  const starting = PluginHost.start(options);
  try {
    session.host = await session.settle(starting, "PluginHost.start");
    for (const event of hostEventNames) session.host.on(event, ((payload: object) => record(session, event, payload)) as never);
    for (const [i, step] of steps.entries()) {
      trace(`step ${i + 1}: ${step.name} ${show(step.body)}`);
      await step.kind.run(step.body, session);
    }
  } finally {
    await closeHost(session, starting);
  }
}

function record(session: Session, event: string, payload: object): void {
  const entry: HostEventRecord = { event, ...payload };
  session.events.push(entry);
  session.trace(`event ${event} ${show(payload)}`);
  session.changed();
}

/** closeHost ends the case's host whatever happened: a short grace, then the host kills the processes (§13.3). */
async function closeHost(session: Session, starting: Promise<PluginHost>): Promise<void> {
  const host = session.host ?? (await starting.catch(() => undefined));
  if (host === undefined) return;
  for (const call of session.calls.values()) call.controller.abort("the case ended");
  await host.close({ graceMs: CLOSE_GRACE_MS });
}
