// Reading the conformance functions' arguments: one map, each field checked, a bad one
// answered INVALID_ARGUMENT naming it (spec/CONFORMANCE.md §1.1).

import { PluginError } from "@polyproc/sdk";

/** Args is the map a conformance function receives (null and {} both mean none). */
export type Args = Record<string, unknown>;

/** argsMap returns the call's args as a map, failing INVALID_ARGUMENT when they are not one. */
export function argsMap(args: unknown): Args {
  if (args === null || args === undefined) return {};
  if (typeof args === "object" && !Array.isArray(args) && !(args instanceof Uint8Array)) return args as Args;
  throw new PluginError("INVALID_ARGUMENT", "args must be a map of named arguments");
}

/** numberArg reads a non-negative number field; `fallback` when absent, INVALID_ARGUMENT otherwise. */
export function numberArg(args: Args, name: string, fallback?: number): number {
  const value = args[name];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "number" || !(value >= 0)) {
    throw new PluginError("INVALID_ARGUMENT", `args.${name} must be a number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

/** optionalNumberArg reads a number field that may be absent. */
export function optionalNumberArg(args: Args, name: string): number | undefined {
  return args[name] === undefined ? undefined : numberArg(args, name);
}

/** stringArg reads a string field; `fallback` when absent, INVALID_ARGUMENT otherwise. */
export function stringArg(args: Args, name: string, fallback?: string): string {
  const value = args[name];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string") throw new PluginError("INVALID_ARGUMENT", `args.${name} must be a string, got ${describe(value)}`);
  return value;
}

/** optionalStringArg reads a string field that may be absent. */
export function optionalStringArg(args: Args, name: string): string | undefined {
  return args[name] === undefined ? undefined : stringArg(args, name);
}

/** describe names a value's kind for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (value instanceof Uint8Array) return "bytes";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `${typeof value} ${String(value)}`;
}
