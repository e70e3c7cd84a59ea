// Patterns of plugin cases: the expectations of match.ts, plus `{$var: name}` for values only
// known when the case runs (the token the fake host issued, the process id, the instance id
// it sent in Welcome).

import { isRecord } from "../load-cases.js";
import { operatorNames } from "../match.js";
import { kindNumbers } from "../wire/frame-spec.js";

/** patternVars names the values `{$var: name}` stands for. */
export const patternVars = ["token", "pid", "instanceId"] as const;

/** PatternVar is one of patternVars. */
export type PatternVar = (typeof patternVars)[number];

/** patternProblems returns a message per unknown operator or variable in a pattern, at `where`. */
export function patternProblems(pattern: unknown, where: string): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap((item, i) => patternProblems(item, `${where}[${i}]`));
  if (!isRecord(pattern)) return [];
  const keys = Object.keys(pattern);
  if (keys.length === 1 && keys[0]!.startsWith("$")) {
    const [name, operand] = [keys[0]!, pattern[keys[0]!]];
    if (name === "$var") return patternVars.includes(operand as PatternVar) ? [] : [`${where}: $var must name one of ${patternVars.join(", ")}; got ${JSON.stringify(operand)}`];
    if (!operatorNames.includes(name)) return [`${where}: unknown operator ${name}; use one of ${[...operatorNames, "$var"].join(" ")}`];
    if (name === "$oneOf" && !Array.isArray(operand)) return [`${where}: $oneOf takes a list of patterns`];
    return patternProblems(operand, `${where}.${name}`);
  }
  return keys.flatMap((key) => patternProblems(pattern[key], `${where}.${key}`));
}

/** framePatternProblems checks a pattern on a received frame: one key, a frame kind, whose value is a pattern. */
export function framePatternProblems(pattern: unknown, where: string): string[] {
  if (!isRecord(pattern) || Object.keys(pattern).length !== 1 || !(Object.keys(pattern)[0]! in kindNumbers)) {
    return [`${where}: a frame pattern is a map with one key, the frame's kind (${Object.keys(kindNumbers).join(", ")}); got ${JSON.stringify(pattern)}`];
  }
  return patternProblems(pattern, where);
}

/** resolveVars replaces every `{$var: name}` of a pattern by the variable's value. */
export function resolveVars(pattern: unknown, vars: Readonly<Record<PatternVar, unknown>>): unknown {
  if (Array.isArray(pattern)) return pattern.map((item) => resolveVars(item, vars));
  if (!isRecord(pattern)) return pattern;
  const keys = Object.keys(pattern);
  if (keys.length === 1 && keys[0] === "$var") return vars[pattern.$var as PatternVar];
  return Object.fromEntries(keys.map((key) => [key, resolveVars(pattern[key], vars)]));
}
