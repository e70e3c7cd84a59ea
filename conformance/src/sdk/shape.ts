// Checking the YAML of sdk cases: a Shape collects one message per problem, each naming the
// path of the offending field (steps[2].call.timeoutMs), so that validate() reports them all.

import { isRecord } from "../load-cases.js";

/** FieldKind is what a field of a step or of the setup holds. */
export type FieldKind = "string" | "number" | "boolean" | "map" | "list" | "any" | "strings" | "stringMap";

/** Fields maps each allowed key of a map to its kind; a key ending in `!` is required. */
export type Fields = Record<string, FieldKind>;

/** Shape collects the problems of one case's YAML. */
export class Shape {
  readonly problems: string[] = [];

  /** problem records one message. */
  problem(message: string): void {
    this.problems.push(message);
  }

  /**
   * fields checks that `value` is a map with only the keys of `fields`, each of its kind, and
   * the required ones (`name!`) present. It returns the map ({} when it is not one).
   */
  fields(value: unknown, fields: Fields, where: string): Record<string, unknown> {
    if (!isRecord(value)) {
      this.problem(`${where} must be a map with ${describeFields(fields)}`);
      return {};
    }
    const allowed = new Map(Object.entries(fields).map(([key, kind]) => [key.replace(/!$/, ""), { kind, required: key.endsWith("!") }]));
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) this.problem(`${where}: unknown key ${key}; use ${describeFields(fields)}`);
    }
    for (const [key, { kind, required }] of allowed) {
      const field = value[key];
      if (field === undefined) {
        if (required) this.problem(`${where}: ${key} is required`);
        continue;
      }
      if (!hasKind(field, kind)) this.problem(`${where}.${key} must be ${kindText[kind]}; got ${JSON.stringify(field)}`);
    }
    return value;
  }

  /** positive checks that an optional number is > 0 (or ≥ 0 with `zero`). */
  positive(value: unknown, where: string, zero = false): void {
    if (typeof value !== "number") return;
    if (zero ? value < 0 : value <= 0) this.problem(`${where} must be a number ${zero ? "≥ 0" : "> 0"}; got ${value}`);
  }

  /** oneOf checks that an optional string is one of `options`. */
  oneOf(value: unknown, options: readonly string[], where: string): void {
    if (value !== undefined && !options.includes(value as string)) this.problem(`${where} must be one of ${options.join(", ")}; got ${JSON.stringify(value)}`);
  }
}

const kindText: Record<FieldKind, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  map: "a map",
  list: "a list",
  any: "a value",
  strings: "a list of strings",
  stringMap: "a map of strings to strings",
};

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && !Number.isNaN(value);
    case "boolean":
      return typeof value === "boolean";
    case "map":
      return isRecord(value);
    case "list":
      return Array.isArray(value);
    case "strings":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
    case "stringMap":
      return isRecord(value) && Object.values(value).every((v) => typeof v === "string");
    case "any":
      return true;
  }
}

function describeFields(fields: Fields): string {
  return Object.keys(fields).join(", ").replaceAll("!", " (required)");
}
