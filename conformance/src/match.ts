// Expectations as data: `match` compares a value a case observed with the value its YAML
// expects, and names every difference by its path.

/**
 * match returns one message per difference between `actual` and `expected` ([] when they
 * match), each naming the path from `path`. The rules, so that cases say only what matters:
 * - An object expects a subset: every key it names must match; other keys of `actual` are
 *   ignored. An array expects the same length and each element to match.
 * - Numbers and bigints compare by value (1 matches 1n).
 * - Operators, as an object whose single key starts with `$`:
 *   `{$exact: X}` deep equality with nothing extra (doubles as Object.is: -0 is not 0, NaN is NaN); `{$contains: "s"}` a string containing
 *   s (case-insensitive), or an array with an element matching s; `{$matches: "re"}` a string
 *   matching the regular expression; `{$gte: n}`, `{$lte: n}`; `{$length: n}` a string, array
 *   or bytes of that length; `{$absent: true}` undefined or missing; `{$any: true}` anything
 *   present; `{$oneOf: [a, b]}` matches one of them; `{$type: "bytes"|"string"|"number"|
 *   "integer"|"bigint"|"boolean"|"null"|"array"|"object"}`.
 */
export function match(actual: unknown, expected: unknown, path = "value"): string[] {
  if (isOperator(expected)) return matchOperator(actual, expected, path);
  if (expected === null || typeof expected !== "object") return matchScalar(actual, expected, path);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array of ${expected.length}, got ${show(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`];
    return expected.flatMap((item, i) => match(actual[i], item, `${path}[${i}]`));
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual) || actual instanceof Uint8Array) {
    return [`${path}: expected an object like ${show(expected)}, got ${show(actual)}`];
  }
  const record = actual as Record<string, unknown>;
  return Object.entries(expected).flatMap(([key, value]) => match(record[key], value, `${path}.${key}`));
}

/** show renders a value for a failure message, short. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === "function" || typeof value === "symbol") return String(value);
  if (Object.is(value, -0)) return "-0";
  const text =
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === "bigint") return `${v}n`;
      if (v instanceof Uint8Array) return `<${v.length} bytes>`;
      if (typeof v === "number" && !Number.isFinite(v)) return String(v);
      if (Object.is(v, -0)) return "-0";
      return v;
    }) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function isOperator(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith("$");
}

function matchScalar(actual: unknown, expected: unknown, path: string): string[] {
  if (isNumeric(actual) && isNumeric(expected)) {
    return sameNumber(actual, expected) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
  }
  return Object.is(actual, expected) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

function isNumeric(value: unknown): value is number | bigint {
  return typeof value === "number" || typeof value === "bigint";
}

function sameNumber(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === "bigint" || typeof b === "bigint") {
    const whole = (v: number | bigint) => (typeof v === "bigint" ? v : Number.isInteger(v) ? BigInt(v) : undefined);
    const x = whole(a);
    const y = whole(b);
    return x !== undefined && x === y;
  }
  return Object.is(a, b) || a === b;
}

function matchOperator(actual: unknown, operator: Record<string, unknown>, path: string): string[] {
  const [name, operand] = Object.entries(operator)[0]!;
  const fail = (what: string) => [`${path}: expected ${what}, got ${show(actual)}`];
  switch (name) {
    case "$exact":
      return deepEqual(actual, operand) ? [] : fail(`exactly ${show(operand)}`);
    case "$contains":
      if (typeof actual === "string") return actual.toLowerCase().includes(String(operand).toLowerCase()) ? [] : fail(`a string containing ${show(operand)}`);
      if (Array.isArray(actual)) return actual.some((item) => match(item, operand).length === 0) ? [] : fail(`an array with an element like ${show(operand)}`);
      return fail(`a string or array containing ${show(operand)}`);
    case "$matches":
      return typeof actual === "string" && new RegExp(String(operand)).test(actual) ? [] : fail(`a string matching /${String(operand)}/`);
    case "$gte":
      return isNumeric(actual) && Number(actual) >= Number(operand) ? [] : fail(`a number ≥ ${show(operand)}`);
    case "$lte":
      return isNumeric(actual) && Number(actual) <= Number(operand) ? [] : fail(`a number ≤ ${show(operand)}`);
    case "$length": {
      const length = typeof actual === "string" || Array.isArray(actual) || actual instanceof Uint8Array ? actual.length : undefined;
      return length === Number(operand) ? [] : fail(`a length of ${show(operand)}`);
    }
    case "$absent":
      return actual === undefined ? [] : fail("nothing");
    case "$any":
      return actual !== undefined ? [] : fail("a value");
    case "$oneOf":
      return Array.isArray(operand) && operand.some((option) => match(actual, option, path).length === 0) ? [] : fail(`one of ${show(operand)}`);
    case "$type":
      return typeOf(actual) === operand || (operand === "number" && typeOf(actual) === "integer") ? [] : fail(`a value of type ${String(operand)}`);
    default:
      return [`${path}: the case uses an unknown operator ${name}; use one of $exact $contains $matches $gte $lte $length $absent $any $oneOf $type`];
  }
}

/** operatorNames lists the operators match understands, for case validation. */
export const operatorNames = ["$exact", "$contains", "$matches", "$gte", "$lte", "$length", "$absent", "$any", "$oneOf", "$type"];

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Uint8Array) return "bytes";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
  if (isNumeric(a) && isNumeric(b)) return sameNumber(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((byte, i) => byte === b[i]);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
