// The executor of `plugin` cases (spec/CONFORMANCE.md §3): a scripted fake host that starts an
// SDK's conformance plugin, plays the host's part frame by frame and checks every frame, the
// connection's end, the exit status and the output against the case, so that an SDK's
// conformance does not rest on the real host's good behaviour.

import { randomBytes } from "node:crypto";
import { CaseFailure, type CaseContext, type CaseExecutor, type ConformanceCase } from "../case-types.js";
import { show } from "../match.js";
import { FakeHost } from "./fake-host.js";
import { hostAddress } from "./host-address.js";
import { PluginProcess } from "./plugin-process.js";
import { type RunState, runStep } from "./run-steps.js";
import { type PluginSetup, type PluginStep, parsePluginCase } from "./steps.js";
import { Watch } from "./watch.js";

/** KILL_WAIT_MS is how long cleanup waits for the killed plugin to be reported gone. */
const KILL_WAIT_MS = 2_000;

/** pluginExecutor runs `plugin` cases: the steps of conformance/docs/plugin-cases.md against ctx.sdk's plugin. */
export const pluginExecutor: CaseExecutor = {
  kind: "plugin",
  validate: (testCase) => parsePluginCase(testCase).problems,
  run: runPluginCase,
};

async function runPluginCase(testCase: ConformanceCase, ctx: CaseContext): Promise<void> {
  const sdk = ctx.sdk;
  if (sdk === undefined) throw new Error(`${testCase.id}: a plugin case runs against an SDK; the runner gave none`);
  const { setup, steps, problems } = parsePluginCase(testCase);
  if (problems.length > 0) throw new Error(`${testCase.id} is malformed:\n  ${problems.join("\n  ")}`);
  const watch = new Watch();
  const address = hostAddress(ctx.tmpDir);
  const host = new FakeHost(watch, ctx.trace);
  let plugin: PluginProcess | undefined;
  try {
    await host.listen(address);
    const env = pluginEnvironment(sdk.env, address.address, setup);
    ctx.trace(`start ${sdk.command.join(" ")} (in ${sdk.cwd}) with ${Object.keys(env).filter((n) => n.startsWith("POLYPROC_")).sort().join(", ") || "no POLYPROC_ variables"}`);
    plugin = new PluginProcess(sdk, env, watch, ctx.trace);
    const state: RunState = { host, plugin, watch, signal: ctx.signal, trace: ctx.trace, token: env.POLYPROC_TOKEN, hello: undefined, instanceId: undefined };
    for (const [index, step] of steps.entries()) {
      ctx.trace(`step ${index + 1}: ${describe(step)}`);
      await runStep(step, state);
    }
    if (host.connections > 1) throw new CaseFailure(`the plugin opened ${host.connections} connections; an instance opens exactly one and never reconnects (§2.6.1)`);
  } finally {
    plugin?.kill();
    await plugin?.exited(KILL_WAIT_MS);
    await host.close();
    address.remove();
  }
}

/**
 * pluginEnvironment is the plugin's whole environment: this process's (without its own
 * POLYPROC_ variables), the SDK entry's variables, the three of §2.4 (a fresh token), then the
 * case's `setup.env`, where null removes a variable.
 */
function pluginEnvironment(sdkEnv: Record<string, string>, address: string, setup: PluginSetup): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith("POLYPROC_")) env[name] = value;
  Object.assign(env, sdkEnv, { POLYPROC_ADDRESS: address, POLYPROC_TOKEN: randomBytes(32).toString("hex"), POLYPROC_PROTOCOL: "1" });
  for (const [name, value] of Object.entries(setup.env)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}

function describe(step: PluginStep): string {
  const { type, ...options } = step;
  const shown = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
  return Object.keys(shown).length === 0 ? type : `${type} ${show(shown)}`;
}
