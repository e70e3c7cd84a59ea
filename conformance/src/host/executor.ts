// The executor of `host` cases (spec/CONFORMANCE.md §3): the real host, in this process,
// against a scripted fake plugin. The plugin is a real process the host spawns (relay.ts)
// that relays its connection to this process, where the case's steps write its frames and
// read the host's, frame by frame, while other steps use the host's API.
// Steps and setup: conformance/docs/host-cases.md.

import { type CaseContext, type CaseExecutor, CaseFailure, type ConformanceCase } from "../case-types.js";
import { show } from "../match.js";
import { HostSession } from "./host-session.js";
import * as host from "./host-steps.js";
import * as plugin from "./plugin-steps.js";
import * as pubsub from "./pubsub-steps.js";
import { RelayServer, raceSignal } from "./relay-server.js";
import type { StepContext } from "./step-context.js";
import { stepName, validateHostCase } from "./step-schema.js";
import { hostCaseFunctions, type PeerSetup, peerPlugins } from "./two-way-setup.js";

type Step = Record<string, unknown>;
type Options = Record<string, unknown>;

/** hostExecutor runs the cases of kind `host`. */
export const hostExecutor: CaseExecutor = {
  kind: "host",
  validate: (testCase) => validateHostCase(testCase.setup, testCase.steps),
  run: runHostCase,
};

async function runHostCase(testCase: ConformanceCase, ctx: CaseContext): Promise<void> {
  const { setup } = testCase;
  const twoWay = {
    hostFunctions: hostCaseFunctions((setup.hostFunctions ?? {}) as Record<string, Options>),
    peers: peerPlugins((setup.peers ?? []) as PeerSetup[], ctx.root),
  };
  const relays = await RelayServer.listen(ctx.tmpDir, ctx.trace);
  const session = new HostSession({ root: ctx.root, controlPath: relays.path, plugin: (setup.host ?? {}) as Options, ...twoWay }, ctx.trace);
  try {
    const link = await firstRelay(relays, session, ctx.signal);
    const report = await link.report;
    report.tokenReused = false;
    ctx.trace(`relay ${link.index}: ${show(report)}`);
    const context: StepContext = { session, relays, link, reports: [report], ids: new Map(), hostClosing: undefined, signal: ctx.signal, trace: ctx.trace };
    await raceSignal(link.opened, ctx.signal);
    for (const [index, step] of testCase.steps.entries()) {
      const name = stepName(step)!;
      ctx.trace(`step ${index + 1}: ${show(step)}`);
      await runStep(context, name, step);
    }
    checkTokensNotLogged(context);
  } finally {
    await relays.close();
    await session.close(0);
  }
}

// The first relay, or the host's failure to start it.
async function firstRelay(relays: RelayServer, session: HostSession, signal: AbortSignal) {
  const failed = session.started.then(
    () => new Promise<never>(() => {}),
    (error: unknown) => {
      throw new Error(`the host could not start the fake plugin: ${(error as Error).message}`, { cause: error });
    },
  );
  return Promise.race([relays.next(signal), failed]);
}

async function runStep(context: StepContext, name: string, step: Step): Promise<void> {
  const value = step[name];
  const options = (value ?? {}) as Options;
  switch (name) {
    case "handshake":
      return plugin.handshake(context, options);
    case "hello":
      return plugin.hello(context, options);
    case "send":
      return plugin.send(context, step);
    case "sendRaw":
      return plugin.sendRaw(context, value);
    case "expectFrame":
      return plugin.expectFrame(context, step);
    case "expectNoFrame":
      return plugin.expectNoFrame(context, options);
    case "expectClosed":
      return plugin.expectClosed(context, options);
    case "autoPong":
      context.link.autoPong = value === true;
      return;
    case "close":
      return plugin.close(context, options);
    case "exitCodeOnClose":
      return context.link.exitCodeOnClose(value as number);
    case "exitRelay":
      return context.link.exit(options.code as number);
    case "nextInstance":
      return plugin.nextInstance(context, options);
    case "expectReport":
      return plugin.expectReport(context, value);
    case "hostCall":
      return host.hostCall(context, options);
    case "awaitCall":
      return host.awaitCall(context, options);
    case "expectStartError":
      return host.expectStartError(context, value, step.withinMs as number | undefined);
    case "expectEvent":
      return host.expectEvent(context, options);
    case "expectLog":
      return host.expectLog(context, options);
    case "closeHost":
      return host.closeHost(context, options);
    case "expectHostClosed":
      return host.expectHostClosed(context, options);
    case "hostPublish":
      return pubsub.hostPublish(context, options);
    case "hostSubscribe":
      return pubsub.hostSubscribe(context, options);
    case "expectHostMessages":
      return pubsub.expectHostMessages(context, options);
    default:
      throw new Error(`unknown step ${name}`);
  }
}

// §4.2.4, §17.2: the host never logs a token, whatever the case did.
function checkTokensNotLogged(context: StepContext): void {
  const tokens = context.reports.map((report) => report.token).filter((token): token is string => typeof token === "string" && token !== "");
  for (const record of context.session.allLogs) {
    const text = `${record.message} ${fullText(record.fields)}`;
    const leaked = tokens.find((token) => text.includes(token));
    if (leaked !== undefined) throw new CaseFailure(`the host logged an instance token (PROTOCOL.md §4.2.4 says it never does): ${record.level} "${record.message}"`);
  }
}

function fullText(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Error ? `${v.name}: ${v.message}` : v)) ?? "";
  } catch {
    return String(value);
  }
}
