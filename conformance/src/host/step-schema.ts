// Checks the setup and steps of a `host` case (docs: conformance/docs/host-cases.md), so
// that a malformed case is reported when the cases load, not half-way through a run.

import { isRecord } from "../load-cases.js";
import { bytesFromSpec } from "../wire/frame-bytes.js";
import { frameFromSpec, frameKind, kindNumbers } from "../wire/frame-spec.js";
import { helloKeys, helloSpec } from "./hello-spec.js";
import { pubsubChecks, pubsubStepNames } from "./pubsub-steps.js";
import { resolveIds } from "./step-context.js";
import { checkTwoWaySetup } from "./two-way-setup.js";

/** setupKeys are the keys of a host case's setup. */
export const setupKeys = new Set(["host", "hostFunctions", "peers"]);

/** pluginKeys are the plugin settings `setup.host` may give the host (PluginConfig, the command aside). */
export const pluginKeys = new Set([
  "maxConcurrency", "queue", "startupTimeoutMs", "heartbeat", "restart", "killTimeoutMs", "graceMs", "callTimeoutMs", "settings", "env",
  "permissions", "pubsub", "maxCallsInFlight", "maxOpenStreams",
]);

const hostEvents = ["instance", "exit", "restart", "failed"];
const logLevels = ["debug", "info", "warn", "error"];

/** stepNames maps every step to the sibling keys it takes besides its own. */
export const stepNames: Record<string, string[]> = {
  handshake: [], hello: [], send: ["repeat"], sendRaw: [], expectFrame: ["as", "skip", "withinMs"],
  expectNoFrame: [], expectClosed: [], autoPong: [], close: [], exitCodeOnClose: [], exitRelay: [], nextInstance: [],
  expectReport: [], hostCall: [], awaitCall: [], expectStartError: ["withinMs"], expectEvent: [],
  expectLog: [], closeHost: [], expectHostClosed: [], ...pubsubStepNames,
};

type Check = (value: unknown, step: Record<string, unknown>, names: Set<string>) => string[];

const optionalMs = (value: unknown, name: string): string[] =>
  value === undefined || (typeof value === "number" && value > 0) ? [] : [`${name} must be a positive number of ms; got ${JSON.stringify(value)}`];

function keysOf(value: unknown, allowed: string[], step: string): string[] {
  if (value === null || value === undefined) return [];
  if (!isRecord(value)) return [`${step} takes a map (${allowed.join(", ")}); got ${JSON.stringify(value)}`];
  return Object.keys(value).filter((k) => !allowed.includes(k)).map((k) => `${step}: unknown key ${k}; it takes ${allowed.join(", ")}`);
}

function attempt(what: string, build: () => unknown): string[] {
  try {
    build();
    return [];
  } catch (error) {
    return [`${what}: ${(error as Error).message}`];
  }
}

function helloCheck(value: unknown, step: string): string[] {
  if (value !== null && value !== undefined && !isRecord(value)) return [`${step} takes a map of Hello fields; got ${JSON.stringify(value)}`];
  const overrides = value ?? {};
  const problems = keysOf(overrides, [...helloKeys], step);
  if (problems.length > 0) return problems;
  const source = { token: "0".repeat(64), previousToken: "1".repeat(64), pid: 1 };
  problems.push(...attempt(step, () => frameFromSpec(helloSpec(overrides, source))));
  if (overrides.trailing !== undefined) problems.push(...attempt(`${step}.trailing`, () => bytesFromSpec(overrides.trailing)));
  return problems;
}

function kindList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((k) => typeof k === "string" && k in kindNumbers)) {
    return [`${what} must be a list of frame kinds (${Object.keys(kindNumbers).join(", ")}); got ${JSON.stringify(value)}`];
  }
  return [];
}

const checks: Record<string, Check> = {
  handshake: (value) => helloCheck(value, "handshake"),
  hello: (value) => helloCheck(value, "hello"),
  send: (value, step, names) => [
    ...attempt("send", () => frameFromSpec(resolveIds(value, new Map([...names].map((n) => [n, 1]))))),
    ...(step.repeat === undefined || (Number.isInteger(step.repeat) && (step.repeat as number) > 0) ? [] : [`repeat must be a positive integer`]),
  ],
  sendRaw: (value, _step, names) => {
    const ids = new Map([...names].map((n) => [n, 1]));
    return (Array.isArray(value) ? value : [value]).flatMap((spec, i) => attempt(`sendRaw[${i}]`, () => bytesFromSpec(resolveIds(spec, ids))));
  },
  expectFrame: (value, step, names) => {
    const problems = attempt("expectFrame", () => frameKind(value));
    if (step.as !== undefined) {
      if (typeof step.as !== "string") problems.push("as must be a name");
      else names.add(step.as);
    }
    return [...problems, ...kindList(step.skip, "skip"), ...optionalMs(step.withinMs, "withinMs")];
  },
  expectNoFrame: (value) => {
    if (!isRecord(value)) return ["expectNoFrame takes {forMs, ignore?, allowClose?}"];
    const forMs = typeof value.forMs === "number" && value.forMs > 0 ? [] : [`expectNoFrame.forMs must be a positive number of ms; got ${JSON.stringify(value.forMs)}`];
    const allowClose = value.allowClose === undefined || typeof value.allowClose === "boolean" ? [] : ["expectNoFrame.allowClose must be true or false"];
    return [...keysOf(value, ["forMs", "ignore", "allowClose"], "expectNoFrame"), ...forMs, ...allowClose, ...kindList(value.ignore, "ignore")];
  },
  expectClosed: (value) => [...keysOf(value, ["withinMs", "allow"], "expectClosed"), ...optionalMs(isRecord(value) ? value.withinMs : undefined, "withinMs"), ...kindList(isRecord(value) ? value.allow : undefined, "allow")],
  autoPong: (value) => (typeof value === "boolean" ? [] : [`autoPong takes true or false; got ${JSON.stringify(value)}`]),
  close: (value) => {
    const problems = keysOf(value, ["exitCode", "exit"], "close");
    if (isRecord(value) && value.exitCode !== undefined && !Number.isInteger(value.exitCode)) problems.push("close.exitCode must be an integer");
    if (isRecord(value) && value.exit !== undefined && typeof value.exit !== "boolean") problems.push("close.exit must be true or false");
    return problems;
  },
  exitCodeOnClose: (value) => (Number.isInteger(value) ? [] : [`exitCodeOnClose takes an exit status; got ${JSON.stringify(value)}`]),
  exitRelay: (value) => (isRecord(value) && Number.isInteger(value.code) && Object.keys(value).length === 1 ? [] : [`exitRelay takes {code: <exit status>}; got ${JSON.stringify(value)}`]),
  nextInstance: (value) => [...keysOf(value, ["withinMs"], "nextInstance"), ...optionalMs(isRecord(value) ? value.withinMs : undefined, "withinMs")],
  expectReport: (value) => (isRecord(value) ? [] : ["expectReport takes a map to match the relay's report"]),
  hostCall: (value) => {
    if (!isRecord(value)) return ["hostCall takes {fn, args?, timeoutMs?, metadata?, idempotent?, stream?, window?, as?}"];
    const problems = keysOf(value, ["fn", "args", "timeoutMs", "metadata", "idempotent", "stream", "window", "as"], "hostCall");
    if (typeof value.fn !== "string") problems.push("hostCall.fn must name a function");
    if (value.stream !== undefined && typeof value.stream !== "boolean") problems.push("hostCall.stream must be true or false");
    if (value.window !== undefined && !(Number.isInteger(value.window) && (value.window as number) >= 1)) problems.push("hostCall.window must be an integer ≥ 1 (the stream's credit)");
    if (value.window !== undefined && value.stream !== true) problems.push("hostCall.window needs stream: true");
    if (value.as !== undefined && typeof value.as !== "string") problems.push("hostCall.as must be a name");
    return [...problems, ...optionalMs(value.timeoutMs, "hostCall.timeoutMs")];
  },
  awaitCall: (value) => {
    if (!isRecord(value)) return ["awaitCall takes {call, expect: {value} or {error}, settlesWithinMs?}"];
    const problems = keysOf(value, ["call", "expect", "settlesWithinMs"], "awaitCall");
    if (typeof value.call !== "string") problems.push("awaitCall.call must name a hostCall (its `as`, or its fn)");
    const expect = value.expect;
    if (expect !== undefined && (!isRecord(expect) || Object.keys(expect).length !== 1 || !("value" in expect || "error" in expect))) {
      problems.push("awaitCall.expect must be {value: ...} or {error: {...}}");
    }
    return [...problems, ...optionalMs(value.settlesWithinMs, "settlesWithinMs")];
  },
  expectStartError: (value, step) => [...(isRecord(value) ? [] : ["expectStartError takes a map to match the error"]), ...optionalMs(step.withinMs, "withinMs")],
  expectEvent: (value) => {
    if (!isRecord(value)) return ["expectEvent takes {event, match?, withinMs?}"];
    const problems = keysOf(value, ["event", "match", "withinMs"], "expectEvent");
    if (!hostEvents.includes(value.event as string)) problems.push(`expectEvent.event must be one of ${hostEvents.join(", ")}`);
    return [...problems, ...optionalMs(value.withinMs, "withinMs")];
  },
  expectLog: (value) => {
    if (!isRecord(value)) return ["expectLog takes {level?, message?, fields?, contains?, withinMs?}"];
    const problems = keysOf(value, ["level", "message", "fields", "contains", "withinMs"], "expectLog");
    if (value.contains !== undefined && typeof value.contains !== "string") problems.push("expectLog.contains must be a string");
    if (value.level !== undefined && !logLevels.includes(value.level as string)) problems.push(`expectLog.level must be one of ${logLevels.join(", ")}`);
    return [...problems, ...optionalMs(value.withinMs, "withinMs")];
  },
  closeHost: (value) => keysOf(value, ["graceMs"], "closeHost"),
  expectHostClosed: (value) => [...keysOf(value, ["withinMs"], "expectHostClosed"), ...optionalMs(isRecord(value) ? value.withinMs : undefined, "withinMs")],
  ...pubsubChecks,
};

/** stepName returns the step's name: the one key of the step that names a step. */
export function stepName(step: Record<string, unknown>): string | undefined {
  const names = Object.keys(step).filter((key) => key in stepNames);
  return names.length === 1 ? names[0] : undefined;
}

/** validateHostCase returns one message per problem in a host case's setup and steps. */
export function validateHostCase(setup: Record<string, unknown>, steps: Record<string, unknown>[]): string[] {
  const problems: string[] = checkTwoWaySetup(setup);
  for (const key of Object.keys(setup)) if (!setupKeys.has(key)) problems.push(`setup: unknown key ${key}; a host case's setup has ${[...setupKeys].join(", ")}`);
  if (setup.host !== undefined) {
    if (!isRecord(setup.host)) problems.push("setup.host must be a map of plugin settings");
    else for (const key of Object.keys(setup.host)) if (!pluginKeys.has(key)) problems.push(`setup.host: unknown key ${key}; it takes ${[...pluginKeys].join(", ")}`);
  }
  const names = new Set<string>();
  steps.forEach((step, index) => {
    const name = stepName(step);
    const where = `steps[${index}]`;
    if (name === undefined) {
      problems.push(`${where}: a step has exactly one of ${Object.keys(stepNames).join(", ")}; got ${JSON.stringify(Object.keys(step))}`);
      return;
    }
    for (const key of Object.keys(step)) if (key !== name && !stepNames[name]!.includes(key)) problems.push(`${where} (${name}): unknown key ${key}`);
    problems.push(...checks[name]!(step[name], step, names).map((p) => `${where} (${name}): ${p}`));
  });
  return problems;
}
