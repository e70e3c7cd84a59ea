// A small checker for plain JSON Schema objects given as `params`: it checks the structural
// keywords below and ignores every other keyword (so it may accept a value the full schema
// would refuse, never the reverse). Checked: type, enum, const, properties, required,
// additionalProperties, items, prefixItems, minItems, maxItems, minLength, maxLength, pattern,
// minimum, maximum, exclusiveMinimum, exclusiveMaximum, allOf, anyOf. Not followed: $ref,
// oneOf, not, if/then/else, patternProperties, dependent*, format, ...

import { memberPath } from "./value-path.js";

/** JsonSchema is a JSON Schema document or subschema (an object, or true/false). */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** SchemaIssue is one failure of a value against a schema, with the path to it. */
export interface SchemaIssue {
  path: string;
  message: string;
}

const MAX_ISSUES = 10;

/** checkJsonSchema checks a value against a schema and returns the issues (empty: valid). */
export function checkJsonSchema(schema: JsonSchema, value: unknown, root: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(schema, value, root, issues);
  return issues;
}

function check(schema: JsonSchema, value: unknown, path: string, issues: SchemaIssue[]): void {
  if (issues.length >= MAX_ISSUES || schema === true) return;
  if (schema === false) {
    issues.push({ path, message: "no value is allowed here" });
    return;
  }
  if (!checkType(schema, value, path, issues)) return;
  checkEnum(schema, value, path, issues);
  if (typeof value === "string") checkString(schema, value, path, issues);
  else if (typeof value === "number" || typeof value === "bigint") checkNumber(schema, value, path, issues);
  else if (Array.isArray(value)) checkArray(schema, value, path, issues);
  else if (isPlainObject(value)) checkObject(schema, value, path, issues);
  checkCombinations(schema, value, path, issues);
}

function checkType(schema: { readonly [k: string]: unknown }, value: unknown, path: string, issues: SchemaIssue[]): boolean {
  const type = schema.type;
  if (type === undefined) return true;
  const allowed = Array.isArray(type) ? (type as unknown[]) : [type];
  if (allowed.some((t) => typeof t === "string" && matchesType(t, value))) return true;
  issues.push({ path, message: `expected ${allowed.join(" or ")}, got ${typeName(value)}` });
  return false;
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "bigint" || Number.isInteger(value);
    case "number":
      return typeof value === "bigint" || typeof value === "number";
    case "string":
      return typeof value === "string";
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    default:
      return true;
  }
}

function checkEnum(schema: { readonly [k: string]: unknown }, value: unknown, path: string, issues: SchemaIssue[]): void {
  if ("const" in schema && !equal(schema.const, value)) {
    issues.push({ path, message: `expected ${JSON.stringify(schema.const)}` });
  }
  const options = schema.enum;
  if (Array.isArray(options) && !options.some((option) => equal(option, value))) {
    issues.push({ path, message: `expected one of ${options.map((o) => JSON.stringify(o)).join(", ")}` });
  }
}

function checkString(schema: { readonly [k: string]: unknown }, value: string, path: string, issues: SchemaIssue[]): void {
  const length = [...value].length;
  if (typeof schema.minLength === "number" && length < schema.minLength) {
    issues.push({ path, message: `expected at least ${schema.minLength} characters, got ${length}` });
  }
  if (typeof schema.maxLength === "number" && length > schema.maxLength) {
    issues.push({ path, message: `expected at most ${schema.maxLength} characters, got ${length}` });
  }
  const pattern = typeof schema.pattern === "string" ? compilePattern(schema.pattern) : undefined;
  if (pattern !== undefined && !pattern.test(value)) {
    issues.push({ path, message: `expected a string matching /${schema.pattern}/` });
  }
}

const patterns = new Map<string, RegExp | undefined>();

/** compilePattern compiles a `pattern` once; an invalid one is skipped (not checked). */
function compilePattern(source: string): RegExp | undefined {
  if (patterns.has(source)) return patterns.get(source);
  let pattern: RegExp | undefined;
  try {
    pattern = new RegExp(source, "u");
  } catch {
    pattern = undefined;
  }
  patterns.set(source, pattern);
  return pattern;
}

function checkNumber(schema: { readonly [k: string]: unknown }, value: number | bigint, path: string, issues: SchemaIssue[]): void {
  const n = Number(value);
  const bound = (keyword: string, fails: (limit: number) => boolean, words: string): void => {
    const limit = schema[keyword];
    if (typeof limit === "number" && fails(limit)) issues.push({ path, message: `expected a number ${words} ${limit}, got ${value}` });
  };
  bound("minimum", (limit) => n < limit, ">=");
  bound("maximum", (limit) => n > limit, "<=");
  bound("exclusiveMinimum", (limit) => n <= limit, ">");
  bound("exclusiveMaximum", (limit) => n >= limit, "<");
}

function checkArray(schema: { readonly [k: string]: unknown }, value: readonly unknown[], path: string, issues: SchemaIssue[]): void {
  if (typeof schema.minItems === "number" && value.length < schema.minItems) {
    issues.push({ path, message: `expected at least ${schema.minItems} items, got ${value.length}` });
  }
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
    issues.push({ path, message: `expected at most ${schema.maxItems} items, got ${value.length}` });
  }
  // draft 2020-12: prefixItems + items; draft-07: items as an array of schemas.
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
  const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
  for (let i = 0; i < value.length; i++) {
    const itemSchema = i < prefix.length ? prefix[i] : rest;
    if (isSchema(itemSchema)) check(itemSchema, value[i], memberPath(path, i), issues);
  }
}

function checkObject(schema: { readonly [k: string]: unknown }, value: Record<string, unknown>, path: string, issues: SchemaIssue[]): void {
  if (Array.isArray(schema.required)) {
    for (const key of schema.required) {
      if (typeof key === "string" && !Object.hasOwn(value, key)) issues.push({ path: memberPath(path, key), message: "required, missing" });
    }
  }
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const additional = schema.additionalProperties;
  for (const key of Object.keys(value)) {
    const propertySchema = Object.hasOwn(properties, key) ? properties[key] : additional;
    if (propertySchema === false && !Object.hasOwn(properties, key)) {
      issues.push({ path: memberPath(path, key), message: "unknown member, not allowed here" });
    } else if (isSchema(propertySchema)) {
      check(propertySchema, value[key], memberPath(path, key), issues);
    }
  }
}

function checkCombinations(schema: { readonly [k: string]: unknown }, value: unknown, path: string, issues: SchemaIssue[]): void {
  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf) if (isSchema(sub)) check(sub, value, path, issues);
  }
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) {
    const fits = schema.anyOf.some((sub) => isSchema(sub) && checkJsonSchema(sub, value, path).length === 0);
    if (!fits) issues.push({ path, message: "matches none of the alternatives (anyOf)" });
  }
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "boolean" || isPlainObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Uint8Array) return "bytes";
  if (typeof value === "bigint") return "integer";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function equal(a: unknown, b: unknown): boolean {
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    return Number(a) === Number(b) && (typeof a !== "bigint" || typeof b !== "bigint" || a === b);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && equal(a[key], b[key]));
  }
  return a === b;
}
