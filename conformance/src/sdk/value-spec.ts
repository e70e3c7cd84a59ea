// Values in sdk cases: YAML cannot write every value kind of PROTOCOL.md §9, so args and
// expectations may use generators, maps with one `$` key that stand for a value:
//   {$bigint: "9007199254740993"}   an int beyond 2^53 (a bigint)
//   {$bytes: 1000}                   bytes, byte i being i % 256 (what `big` answers)
//   {$hex: "00ff10"}                 bytes written in hex
//   {$double: nan | inf | -inf | -0} a special double
//   {$nested: 64}                    lists nested to that Value depth (§9.4), null inside
//   {$string: 70000}                 a string of that many "x"
//   {$date: "2024-01-01T00:00:00Z"}  a Date: a value §9.7 does not map (§9.8)
// Expectations may also use the operators of match() ($contains, $gte, ...).

import { isRecord } from "../load-cases.js";
import { operatorNames } from "../match.js";
import type { Shape } from "./shape.js";

const generatorNames = ["$bigint", "$bytes", "$hex", "$double", "$nested", "$string", "$date"];
const doubles: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 };

/** checkValueSpec reports unknown `$` keys and malformed generators in a value; operators only where `expectation`. */
export function checkValueSpec(spec: unknown, where: string, shape: Shape, expectation: boolean): void {
  if (Array.isArray(spec)) {
    spec.forEach((item, i) => checkValueSpec(item, `${where}[${i}]`, shape, expectation));
    return;
  }
  if (!isRecord(spec)) return;
  const entries = Object.entries(spec);
  const dollar = entries.filter(([key]) => key.startsWith("$"));
  if (dollar.length === 0) {
    for (const [key, value] of entries) checkValueSpec(value, `${where}.${key}`, shape, expectation);
    return;
  }
  const [name, operand] = dollar[0]!;
  if (entries.length !== 1) {
    shape.problem(`${where}: a map with a $ key (${name}) must have no other key; write {${name}: ...} alone`);
  } else if (generatorNames.includes(name)) {
    checkGenerator(name, operand, where, shape);
  } else if (expectation && operatorNames.includes(name)) {
    if (name === "$oneOf" && !Array.isArray(operand)) shape.problem(`${where}.$oneOf must be a list of values`);
    checkValueSpec(operand, `${where}.${name}`, shape, expectation);
  } else {
    const known = expectation ? [...generatorNames, ...operatorNames] : generatorNames;
    shape.problem(`${where}: unknown ${name}; use one of ${known.join(" ")}`);
  }
}

function checkGenerator(name: string, operand: unknown, where: string, shape: Shape): void {
  const bad = (what: string) => shape.problem(`${where}.${name} must be ${what}; got ${JSON.stringify(operand)}`);
  switch (name) {
    case "$bigint":
      if (typeof operand !== "string" || !/^-?\d+$/.test(operand)) bad("a string of decimal digits");
      break;
    case "$hex":
      if (typeof operand !== "string" || !/^([0-9a-fA-F]{2})*$/.test(operand.replaceAll(" ", ""))) bad("hex digits in pairs");
      break;
    case "$double":
      if (typeof operand !== "string" || !(operand in doubles)) bad(`one of ${Object.keys(doubles).join(", ")}`);
      break;
    case "$date":
      if (typeof operand !== "string" || Number.isNaN(Date.parse(operand))) bad("an ISO date");
      break;
    default:
      if (typeof operand !== "number" || !Number.isInteger(operand) || operand < 0) bad("a whole number ≥ 0");
  }
}

/** plainFromSpec turns a checked value spec into the value it stands for (generators replaced). */
export function plainFromSpec(spec: unknown): unknown {
  if (Array.isArray(spec)) return spec.map(plainFromSpec);
  if (!isRecord(spec)) return spec;
  const entries = Object.entries(spec);
  if (entries.length === 1 && generatorNames.includes(entries[0]![0])) return generate(entries[0]![0], entries[0]![1]);
  return Object.fromEntries(entries.map(([key, value]) => [key, plainFromSpec(value)]));
}

/**
 * expectationFromSpec turns an expectation spec into what match() takes: generators become
 * their values (bytes wrapped in $exact, which compares them byte by byte), operators stay.
 */
export function expectationFromSpec(spec: unknown): unknown {
  if (Array.isArray(spec)) return spec.map(expectationFromSpec);
  if (!isRecord(spec)) return spec;
  const entries = Object.entries(spec);
  const first = entries[0];
  if (entries.length === 1 && first !== undefined && generatorNames.includes(first[0])) {
    const value = generate(first[0], first[1]);
    return value instanceof Uint8Array ? { $exact: value } : value;
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, expectationFromSpec(value)]));
}

function generate(name: string, operand: unknown): unknown {
  switch (name) {
    case "$bigint":
      return BigInt(operand as string);
    case "$hex": {
      const hex = (operand as string).replaceAll(" ", "");
      return Uint8Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
    }
    case "$double":
      return doubles[operand as string];
    case "$date":
      return new Date(operand as string);
    case "$bytes":
      return Uint8Array.from({ length: operand as number }, (_, i) => i % 256);
    case "$string":
      return "x".repeat(operand as number);
    default: {
      let value: unknown = null;
      for (let depth = 1; depth < (operand as number); depth++) value = [value];
      return value;
    }
  }
}
