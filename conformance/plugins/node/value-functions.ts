// The conformance functions that answer at once (spec/CONFORMANCE.md §1.2): values, errors,
// what the call and the process carry, logging and validation.

import { PluginError, isErrorCode, type Plugin, type LogLevel } from "@polyproc/sdk";
import { argsMap, describe, numberArg, stringArg } from "./args.js";

const logLevels: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/** addValueFunctions registers echo, add, fail, throw, unmappable, big, env, metadata, deadline, info, log and validated. */
export function addValueFunctions(plugin: Plugin): void {
  plugin.fn("echo", (args) => args);
  plugin.fn("add", (args) => {
    const { a, b } = argsMap(args);
    return add(numeric(a, "a"), numeric(b, "b"));
  });
  plugin.fn("fail", (args) => {
    const map = argsMap(args);
    const code = stringArg(map, "code");
    if (!isErrorCode(code)) throw new PluginError("INVALID_ARGUMENT", `args.code must name a code of PROTOCOL.md §8.2 such as NOT_FOUND, got ${code}`);
    const retryable = map.retryable ?? false;
    if (typeof retryable !== "boolean") throw new PluginError("INVALID_ARGUMENT", `args.retryable must be true or false, got ${describe(retryable)}`);
    throw new PluginError(code, stringArg(map, "message"), { details: map.details as never, retryable });
  });
  plugin.fn("throw", (args) => {
    throw new Error(stringArg(argsMap(args), "message"));
  });
  plugin.fn("unmappable", () => ({ when: new Date(0) }));
  plugin.fn("big", (args) => {
    const bytes = new Uint8Array(numberArg(argsMap(args), "bytes"));
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 256;
    return bytes;
  });
  plugin.fn("env", () => ({
    polyproc: Object.keys(process.env).filter((name) => name.startsWith("POLYPROC_")).sort(),
    pid: process.pid,
  }));
  plugin.fn("metadata", (_args, ctx) => ({ ...ctx.metadata }));
  plugin.fn("deadline", (_args, ctx) => ({
    hasDeadline: ctx.deadline !== undefined,
    remainingMs: ctx.deadline === undefined ? 0 : Math.max(0, Math.round(ctx.deadline - performance.now())),
  }));
  plugin.fn("info", (_args, ctx) => ({ plugin: plugin.name, instance: ctx.instanceId, pid: process.pid, sdk: "node", settings: ctx.settings }));
  plugin.fn("log", (args, ctx) => {
    const map = argsMap(args);
    const level = stringArg(map, "level");
    const message = stringArg(map, "message");
    if (!logLevels.includes(level as LogLevel)) throw new PluginError("INVALID_ARGUMENT", `args.level must be one of ${logLevels.join(", ")}, got ${level}`);
    ctx.logger[level as LogLevel](message);
    process.stdout.write(`stdout: ${message}\n`);
    return null;
  });
  plugin.fn("validated", (args) => args, {
    description: "answers its args once the SDK has checked them against the schema",
    params: {
      type: "object",
      properties: { name: { type: "string" }, count: { type: "integer", minimum: 0 } },
      required: ["name", "count"],
    },
  });
}

function numeric(value: unknown, name: string): number | bigint {
  if (typeof value === "number" || typeof value === "bigint") return value;
  throw new PluginError("INVALID_ARGUMENT", `args.${name} must be a number, got ${describe(value)}`, { details: { path: `args.${name}` } });
}

/** add answers an int when both are ints (exact through bigint, PROTOCOL.md §9.2), else a double. */
function add(a: number | bigint, b: number | bigint): number | bigint {
  const isInt = (v: number | bigint) => typeof v === "bigint" || Number.isSafeInteger(v);
  if (!isInt(a) || !isInt(b)) return Number(a) + Number(b);
  const sum = BigInt(a) + BigInt(b);
  return sum >= BigInt(Number.MIN_SAFE_INTEGER) && sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum;
}
