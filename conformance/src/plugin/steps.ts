// The setup and step vocabulary of plugin cases (conformance/docs/plugin-cases.md): parsing
// a case's YAML into steps, with a message for everything wrong in it.

import type { ConformanceCase } from "../case-types.js";
import { isRecord } from "../load-cases.js";
import { bytesFromSpec } from "../wire/frame-bytes.js";
import { frameFromSpec, kindNumbers } from "../wire/frame-spec.js";
import { framePatternProblems, patternProblems } from "./patterns.js";
import { rejectSpec, welcomeSpec } from "./handshake-frames.js";

/** PluginSetup is a plugin case's setup. */
export interface PluginSetup {
  /** Variables set for the plugin after POLYPROC_ADDRESS, POLYPROC_TOKEN and POLYPROC_PROTOCOL; null removes one. */
  env: Record<string, string | null>;
}

/** PluginStep is one parsed step of a plugin case. */
export type PluginStep =
  | { type: "expectHello"; patterns: unknown[] }
  | { type: "welcome"; overrides: Record<string, unknown> }
  | { type: "reject"; fields: Record<string, unknown> }
  | { type: "send"; frames: unknown[] }
  | { type: "sendRaw"; chunks: unknown[] }
  | { type: "expectFrame"; pattern: unknown; skip: string[]; withinMs: number | undefined }
  | { type: "expectFrames"; unordered: unknown[]; skip: string[]; withinMs: number | undefined }
  | { type: "expectNoFrame"; forMs: number; skip: string[] }
  | { type: "expectClosed"; withinMs: number | undefined }
  | { type: "expectExit"; code: unknown; withinMs: number | undefined }
  | { type: "expectOutput"; stream: "stdout" | "stderr"; pattern: unknown; withinMs: number | undefined }
  | { type: "closeConnection" };

/** stepNames lists the step names a plugin case may use. */
export const stepNames = [
  "expectHello", "welcome", "reject", "send", "sendRaw", "expectFrame", "expectFrames", "expectNoFrame",
  "expectClosed", "expectExit", "expectStderr", "expectStdout", "closeConnection",
] as const;

/** ParsedCase is a plugin case's setup and steps, or the problems that keep it from running. */
export interface ParsedCase {
  setup: PluginSetup;
  steps: PluginStep[];
  problems: string[];
}

/** parsePluginCase parses the setup and steps of a plugin case; `problems` lists every fault found. */
export function parsePluginCase(testCase: ConformanceCase): ParsedCase {
  const problems: string[] = [];
  const setup = parseSetup(testCase.setup, problems);
  const steps = testCase.steps.flatMap((raw, index) => {
    const where = `steps[${index}]`;
    const keys = Object.keys(raw);
    if (keys.length !== 1 || !(stepNames as readonly string[]).includes(keys[0]!)) {
      problems.push(`${where}: a step is a map with one key, the step's name (${stepNames.join(", ")}); got ${JSON.stringify(keys)}`);
      return [];
    }
    const before = problems.length;
    const step = parseStep(keys[0]!, raw[keys[0]!], `${where}.${keys[0]!}`, problems);
    return problems.length === before ? [step] : [];
  });
  return { setup, steps, problems };
}

function parseSetup(raw: Record<string, unknown>, problems: string[]): PluginSetup {
  for (const key of Object.keys(raw)) if (key !== "env") problems.push(`setup: unknown key ${key}; a plugin case's setup has env`);
  const env = raw.env ?? {};
  if (!isRecord(env) || !Object.values(env).every((v) => typeof v === "string" || v === null)) {
    problems.push("setup.env must map variable names to strings (or null to leave a variable out)");
    return { env: {} };
  }
  return { env: env as Record<string, string | null> };
}

function parseStep(name: string, value: unknown, where: string, problems: string[]): PluginStep {
  switch (name) {
    case "expectHello": {
      // One pattern, or a list of patterns that must all match (to expect several elements of one list).
      const patterns = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
      patterns.forEach((p, i) => problems.push(...(isRecord(p) ? patternProblems(p, `${where}[${i}]`) : [`${where}[${i}]: a Hello pattern is a map of Hello fields; got ${JSON.stringify(p)}`])));
      return { type: "expectHello", patterns };
    }
    case "welcome":
      return { type: "welcome", overrides: built(value, where, problems, (v) => frameFromSpec(welcomeSpec(v, []))) };
    case "reject":
      return { type: "reject", fields: built(value, where, problems, (v) => frameFromSpec(rejectSpec(v))) };
    case "send":
      return { type: "send", frames: listOf(value).map((spec, i) => (tryBuild(where, i, problems, () => frameFromSpec(spec)), spec)) };
    case "sendRaw":
      return { type: "sendRaw", chunks: listOf(value).map((spec, i) => (tryBuild(where, i, problems, () => bytesFromSpec(spec)), spec)) };
    case "expectFrame":
      return parseExpectFrame(value, where, problems);
    case "expectFrames": {
      const options = optionsOf(value, where, ["unordered", "skip", "withinMs"], problems);
      if (!Array.isArray(options.unordered) || options.unordered.length === 0) problems.push(`${where}.unordered must be a non-empty list of frame patterns`);
      else options.unordered.forEach((p, i) => problems.push(...framePatternProblems(p, `${where}.unordered[${i}]`)));
      return { type: "expectFrames", unordered: (options.unordered ?? []) as unknown[], skip: kinds(options.skip, where, problems), withinMs: ms(options.withinMs, `${where}.withinMs`, problems) };
    }
    case "expectNoFrame": {
      const options = optionsOf(value, where, ["forMs", "skip"], problems);
      const forMs = ms(options.forMs, `${where}.forMs`, problems);
      if (forMs === undefined) problems.push(`${where}.forMs is required: how long no frame must come, in ms`);
      return { type: "expectNoFrame", forMs: forMs ?? 0, skip: kinds(options.skip, where, problems) };
    }
    case "expectClosed":
      return { type: "expectClosed", withinMs: ms(optionsOf(value ?? {}, where, ["withinMs"], problems).withinMs, `${where}.withinMs`, problems) };
    case "expectExit": {
      const options = optionsOf(value, where, ["code", "withinMs"], problems);
      if (options.code === undefined) problems.push(`${where}.code is required: the exit status (a number or a pattern such as {$gte: 1})`);
      problems.push(...patternProblems(options.code, `${where}.code`));
      return { type: "expectExit", code: options.code, withinMs: ms(options.withinMs, `${where}.withinMs`, problems) };
    }
    case "expectStderr":
    case "expectStdout":
      return parseExpectOutput(name === "expectStderr" ? "stderr" : "stdout", value, where, problems);
    default:
      if (value !== null && value !== undefined && !(isRecord(value) && Object.keys(value).length === 0)) problems.push(`${where} takes no options; write closeConnection: {}`);
      return { type: "closeConnection" };
  }
}

function parseExpectFrame(value: unknown, where: string, problems: string[]): PluginStep {
  if (isRecord(value) && Object.keys(value).length === 1 && Object.keys(value)[0]! in kindNumbers) {
    problems.push(...framePatternProblems(value, where));
    return { type: "expectFrame", pattern: value, skip: [], withinMs: undefined };
  }
  const options = optionsOf(value, where, ["frame", "skip", "withinMs"], problems);
  problems.push(...framePatternProblems(options.frame, `${where}.frame`));
  return { type: "expectFrame", pattern: options.frame, skip: kinds(options.skip, where, problems), withinMs: ms(options.withinMs, `${where}.withinMs`, problems) };
}

function parseExpectOutput(stream: "stdout" | "stderr", value: unknown, where: string, problems: string[]): PluginStep {
  if (typeof value === "string") return { type: "expectOutput", stream, pattern: { $contains: value }, withinMs: undefined };
  if (isRecord(value) && Object.keys(value).length === 1 && Object.keys(value)[0]!.startsWith("$")) {
    problems.push(...patternProblems(value, where));
    return { type: "expectOutput", stream, pattern: value, withinMs: undefined };
  }
  const options = optionsOf(value, where, ["pattern", "withinMs"], problems);
  if (options.pattern === undefined) problems.push(`${where}: give the text to find ("some text"), an operator ({$matches: "re"}) or {pattern, withinMs}`);
  problems.push(...patternProblems(options.pattern, `${where}.pattern`));
  const pattern = typeof options.pattern === "string" ? { $contains: options.pattern } : options.pattern;
  return { type: "expectOutput", stream, pattern, withinMs: ms(options.withinMs, `${where}.withinMs`, problems) };
}

function optionsOf(value: unknown, where: string, allowed: string[], problems: string[]): Record<string, unknown> {
  if (!isRecord(value)) {
    problems.push(`${where} must be a map with ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
    return {};
  }
  for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push(`${where}: unknown option ${key}; the options are ${allowed.join(", ")}`);
  return value;
}

function built(value: unknown, where: string, problems: string[], build: (v: Record<string, unknown>) => unknown): Record<string, unknown> {
  const fields = value ?? {};
  if (!isRecord(fields)) {
    problems.push(`${where} must be a map of the message's fields; got ${JSON.stringify(value)}`);
    return {};
  }
  try {
    build(fields);
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
  }
  return fields;
}

function tryBuild(where: string, index: number, problems: string[], build: () => unknown): void {
  try {
    build();
  } catch (error) {
    problems.push(`${where}[${index}]: ${(error as Error).message}`);
  }
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function kinds(value: unknown, where: string, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((k) => typeof k === "string" && k in kindNumbers)) {
    problems.push(`${where}.skip must be a list of frame kinds (${Object.keys(kindNumbers).join(", ")}); got ${JSON.stringify(value)}`);
    return [];
  }
  return value as string[];
}

function ms(value: unknown, where: string, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value > 0)) problems.push(`${where} must be a positive number of ms; got ${JSON.stringify(value)}`);
  return typeof value === "number" ? value : undefined;
}
