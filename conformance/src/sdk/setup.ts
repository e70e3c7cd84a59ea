// The setup of an sdk case: the host options it starts PluginHost with (PROTOCOL.md §1.4's
// configurable values), the plugin's name and environment, and the parts that features the
// host lacks would need (host functions, peer plugins, permissions).

import type { Logger, PluginConfig, PluginHostOptions } from "@polyproc/host";
import type { SdkEntry } from "../case-types.js";
import { isRecord } from "../load-cases.js";
import type { Fields, Shape } from "./shape.js";
import { checkTopic } from "./pubsub-steps.js";
import { checkOutcomeExpectation } from "./expectations.js";
import { checkValueSpec, plainFromSpec } from "./value-spec.js";
import { hostFunctionsOf, peerConfigs } from "./setup-two-way.js";

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

const setupFields: Fields = {
  plugin: "string",
  env: "stringMap",
  settings: "any",
  instances: "number",
  maxConcurrency: "number",
  callTimeoutMs: "number",
  startupTimeoutMs: "number",
  graceMs: "number",
  killTimeoutMs: "number",
  queue: "map",
  heartbeat: "map",
  restart: "map",
  subscriptions: "strings",
  hostFunctions: "map",
  peers: "list",
  permissions: "map",
};

const nested: Record<string, Fields> = {
  queue: { size: "number", timeoutMs: "number" },
  heartbeat: { intervalMs: "number", missLimit: "number" },
  restart: { baseMs: "number", maxMs: "number", maxRestarts: "number", windowMs: "number" },
  permissions: { calls: "strings", hostFunctions: "strings", publish: "strings", subscribe: "strings" },
};

/** checkSetup reports the problems of a case's setup. */
export function checkSetup(setup: Record<string, unknown>, shape: Shape): void {
  shape.fields(setup, setupFields, "setup");
  checkValueSpec(setup.settings, "setup.settings", shape, false);
  if (typeof setup.plugin === "string" && !NAME.test(setup.plugin)) shape.problem(`setup.plugin must match [A-Za-z0-9_-]{1,64}; got ${setup.plugin}`);
  for (const key of ["instances", "maxConcurrency", "callTimeoutMs", "startupTimeoutMs"]) shape.positive(setup[key], `setup.${key}`);
  for (const key of ["graceMs", "killTimeoutMs"]) shape.positive(setup[key], `setup.${key}`, true);
  for (const [key, fields] of Object.entries(nested)) {
    if (!isRecord(setup[key])) continue;
    const body = shape.fields(setup[key], fields, `setup.${key}`);
    for (const [field, value] of Object.entries(body)) shape.positive(value, `setup.${key}.${field}`, true);
  }
  for (const [i, pattern] of ((setup.subscriptions as unknown[] | undefined) ?? []).entries()) checkTopic(pattern, `setup.subscriptions[${i}]`, shape, true);
  for (const [name, answer] of Object.entries((setup.hostFunctions as Record<string, unknown> | undefined) ?? {})) {
    const where = `setup.hostFunctions.${name}`;
    const body = shape.fields(answer, { value: "any", error: "map", echo: "boolean" }, where);
    if (Object.keys(body).length !== 1) shape.problem(`${where}: give exactly one of value, error or echo: true`);
    if (body.error !== undefined) checkOutcomeExpectation({ error: body.error }, where, shape);
  }
  for (const [i, peer] of ((setup.peers as unknown[] | undefined) ?? []).entries()) {
    const body = shape.fields(peer, { "name!": "string", env: "stringMap" }, `setup.peers[${i}]`);
    if (typeof body.name === "string" && !NAME.test(body.name)) shape.problem(`setup.peers[${i}].name must match [A-Za-z0-9_-]{1,64}`);
  }
}

/** pluginNameOf is the plugin's name in the host configuration: setup.plugin, default `conformance` (spec/CONFORMANCE.md §1.1). */
export function pluginNameOf(setup: Record<string, unknown>): string {
  return (setup.plugin as string | undefined) ?? "conformance";
}

/**
 * hostOptions builds PluginHost.start's options for the case: the SDK's conformance plugin
 * (its command, cwd and env, then setup.env) under the case's plugin name, and the host
 * options the setup gives: host functions, peer plugins (the same conformance plugin under
 * other names) and the plugin's permissions included.
 */
export function hostOptions(setup: Record<string, unknown>, sdk: SdkEntry, logger: Logger): PluginHostOptions {
  const env: Record<string, string> = { ...sdk.env, ...(setup.env as Record<string, string> | undefined) };
  if (setup.subscriptions !== undefined) env.CONFORMANCE_SUBSCRIPTIONS = (setup.subscriptions as string[]).join(",");
  const plugin: PluginConfig = { name: pluginNameOf(setup), command: sdk.command, cwd: sdk.cwd, env };
  if (setup.settings !== undefined) plugin.settings = plainFromSpec(setup.settings) as PluginConfig["settings"];
  if (setup.permissions !== undefined) plugin.permissions = permissionsOf(setup.permissions as Record<string, string[]>);
  const peers = peerConfigs((setup.peers as Parameters<typeof peerConfigs>[0] | undefined) ?? [], sdk);
  const options: PluginHostOptions = { plugins: [plugin, ...peers], logger };
  if (setup.hostFunctions !== undefined) options.hostFunctions = hostFunctionsOf(setup.hostFunctions as Parameters<typeof hostFunctionsOf>[0]);
  const copied = ["instances", "maxConcurrency", "callTimeoutMs", "startupTimeoutMs", "graceMs", "killTimeoutMs", "queue", "heartbeat", "restart"] as const;
  for (const key of copied) {
    if (setup[key] !== undefined) (options as unknown as Record<string, unknown>)[key] = setup[key];
  }
  return options;
}

/** permissionsOf maps setup.permissions to PluginConfig.permissions (`calls` is the host's `call` list). */
function permissionsOf(setup: Record<string, string[]>): NonNullable<PluginConfig["permissions"]> {
  const { calls, ...rest } = setup;
  return calls === undefined ? rest : { ...rest, call: calls };
}
