import type { ListValue, MapEntry, MapValue, Null, Value } from "./gen/polyproc/v1/value_pb.js";
import { MAX_VALUE_DEPTH } from "./limits.js";
import { compareMapKeys } from "./map-key-order.js";
import { ProtocolError } from "./protocol-error.js";
import { indexPath, keyPath } from "./value-path.js";

/**
 * PlainValue is what a Value is in JavaScript (PROTOCOL.md §9.7): null, boolean, number or
 * bigint (int64 beyond 2^53 - 1), string, Uint8Array, arrays and plain objects of them.
 */
export type PlainValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PlainValue[]
  | { [key: string]: PlainValue };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NULL: Null = { $typeName: "polyproc.v1.Null" };

/**
 * toValue maps a JavaScript value to a protobuf Value (PROTOCOL.md §9.7): safe integers
 * become int, other numbers double, bigint int, Uint8Array bytes, arrays lists, plain objects
 * and Maps with string keys maps (entries sorted by code point, undefined members left out).
 * Anything else throws ProtocolError INVALID_VALUE (or VALUE_TOO_DEEP past 64 levels) naming
 * the path from `root`, e.g. `args.items[3].price`.
 */
export function toValue(input: unknown, root = "value"): Value {
  const value = input === undefined ? null : input;
  try {
    return mapFast(value, 1);
  } catch (error) {
    if (error !== MISS) throw error;
  }
  // Maps, and inputs that fail: the path-tracking mapping handles them and names the path.
  return map(value, root, 1, []);
}

// MISS is thrown by mapFast for anything other than valid primitives, arrays and plain objects.
const MISS: Error = new Error("not on the fast path");

// mapFast maps the common inputs without building paths (they are only needed in errors)
// and without tracking ancestors (a cycle ends as too deep, and the slow path reports it).
function mapFast(input: unknown, depth: number): Value {
  if (depth > MAX_VALUE_DEPTH) throw MISS;
  switch (typeof input) {
    case "boolean":
      return { $typeName: "polyproc.v1.Value", kind: { case: "boolValue", value: input } };
    case "number":
      return Number.isSafeInteger(input) && !Object.is(input, -0)
        ? { $typeName: "polyproc.v1.Value", kind: { case: "intValue", value: BigInt(input) } }
        : { $typeName: "polyproc.v1.Value", kind: { case: "doubleValue", value: input } };
    case "bigint":
      if (input < INT64_MIN || input > INT64_MAX) throw MISS;
      return { $typeName: "polyproc.v1.Value", kind: { case: "intValue", value: input } };
    case "string":
      if (!input.isWellFormed()) throw MISS;
      return { $typeName: "polyproc.v1.Value", kind: { case: "stringValue", value: input } };
    case "object":
      if (input === null) return { $typeName: "polyproc.v1.Value", kind: { case: "nullValue", value: NULL } };
      if (input instanceof Uint8Array) return { $typeName: "polyproc.v1.Value", kind: { case: "bytesValue", value: input } };
      if (Array.isArray(input)) return listFast(input, depth);
      return objectFast(input, depth);
    default:
      throw MISS;
  }
}

function listFast(input: readonly unknown[], depth: number): Value {
  const items = new Array<Value>(input.length);
  for (let i = 0; i < input.length; i++) {
    const item = input[i];
    if (item === undefined) throw MISS;
    items[i] = mapFast(item, depth + 1);
  }
  const list: ListValue = { $typeName: "polyproc.v1.ListValue", items };
  return { $typeName: "polyproc.v1.Value", kind: { case: "listValue", value: list } };
}

function objectFast(input: object, depth: number): Value {
  const proto: unknown = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) throw MISS;
  const keys = Object.keys(input);
  if (!isSorted(keys)) keys.sort(compareMapKeys);
  const entries: MapEntry[] = [];
  for (const key of keys) {
    const member = (input as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (!key.isWellFormed()) throw MISS;
    entries.push({ $typeName: "polyproc.v1.MapEntry", key, value: mapFast(member, depth + 1) });
  }
  return mapValue(entries);
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (compareMapKeys(keys[i - 1]!, keys[i]!) > 0) return false;
  return true;
}

function map(input: unknown, path: string, depth: number, ancestors: object[]): Value {
  if (depth > MAX_VALUE_DEPTH) {
    throw new ProtocolError("VALUE_TOO_DEEP", `${path} is nested deeper than ${MAX_VALUE_DEPTH} levels`, { path });
  }
  switch (typeof input) {
    case "boolean":
      return { $typeName: "polyproc.v1.Value", kind: { case: "boolValue", value: input } };
    case "number":
      return Number.isSafeInteger(input) && !Object.is(input, -0)
        ? { $typeName: "polyproc.v1.Value", kind: { case: "intValue", value: BigInt(input) } }
        : { $typeName: "polyproc.v1.Value", kind: { case: "doubleValue", value: input } };
    case "bigint":
      if (input < INT64_MIN || input > INT64_MAX) {
        throw invalid(path, `the integer ${input} is outside int64; send it as a string`);
      }
      return { $typeName: "polyproc.v1.Value", kind: { case: "intValue", value: input } };
    case "string":
      if (!input.isWellFormed()) {
        throw invalid(path, "the string has a lone UTF-16 surrogate and is not valid Unicode; fix the text or send it as bytes");
      }
      return { $typeName: "polyproc.v1.Value", kind: { case: "stringValue", value: input } };
    case "object":
      return input === null
        ? { $typeName: "polyproc.v1.Value", kind: { case: "nullValue", value: NULL } }
        : mapObject(input, path, depth, ancestors);
    case "undefined":
      throw invalid(path, "undefined cannot be sent; use null");
    default:
      throw invalid(path, `a ${typeof input} cannot be sent; send data (null, boolean, number, bigint, string, Uint8Array, array or plain object)`);
  }
}

function mapObject(input: object, path: string, depth: number, ancestors: object[]): Value {
  if (input instanceof Uint8Array) {
    return { $typeName: "polyproc.v1.Value", kind: { case: "bytesValue", value: input } };
  }
  if (ancestors.includes(input)) {
    throw invalid(path, "the value refers to itself (a cycle); send a tree instead");
  }
  ancestors.push(input);
  try {
    if (Array.isArray(input)) return listValue(input, path, depth, ancestors);
    if (input instanceof Map) return mapFromMap(input, path, depth, ancestors);
    const proto: unknown = Object.getPrototypeOf(input);
    if (proto === Object.prototype || proto === null) return mapFromObject(input as Record<string, unknown>, path, depth, ancestors);
    throw invalid(path, describeUnsupported(input));
  } finally {
    ancestors.pop();
  }
}

function listValue(input: readonly unknown[], path: string, depth: number, ancestors: object[]): Value {
  const items = new Array<Value>(input.length);
  for (let i = 0; i < input.length; i++) {
    const item = input[i];
    const itemPath = indexPath(path, i);
    if (item === undefined) throw invalid(itemPath, "a list item is undefined (or a hole); use null");
    items[i] = map(item, itemPath, depth + 1, ancestors);
  }
  const list: ListValue = { $typeName: "polyproc.v1.ListValue", items };
  return { $typeName: "polyproc.v1.Value", kind: { case: "listValue", value: list } };
}

function mapFromObject(input: Record<string, unknown>, path: string, depth: number, ancestors: object[]): Value {
  const keys = Object.keys(input).sort(compareMapKeys);
  const entries: MapEntry[] = [];
  for (const key of keys) {
    const member = input[key];
    if (member === undefined) continue;
    entries.push(entry(key, member, path, depth, ancestors));
  }
  return mapValue(entries);
}

function mapFromMap(input: Map<unknown, unknown>, path: string, depth: number, ancestors: object[]): Value {
  const keys: string[] = [];
  for (const key of input.keys()) {
    if (typeof key !== "string") throw invalid(path, `a Map key is a ${typeof key}; map keys must be strings`);
    keys.push(key);
  }
  keys.sort(compareMapKeys);
  const entries: MapEntry[] = [];
  for (const key of keys) {
    const member = input.get(key);
    if (member === undefined) continue;
    entries.push(entry(key, member, path, depth, ancestors));
  }
  return mapValue(entries);
}

function entry(key: string, member: unknown, path: string, depth: number, ancestors: object[]): MapEntry {
  const memberPath = keyPath(path, key);
  if (!key.isWellFormed()) {
    throw invalid(memberPath, "the map key has a lone UTF-16 surrogate and is not valid Unicode");
  }
  return { $typeName: "polyproc.v1.MapEntry", key, value: map(member, memberPath, depth + 1, ancestors) };
}

function mapValue(entries: MapEntry[]): Value {
  const value: MapValue = { $typeName: "polyproc.v1.MapValue", entries };
  return { $typeName: "polyproc.v1.Value", kind: { case: "mapValue", value } };
}

function describeUnsupported(input: object): string {
  if (input instanceof Date) return "a Date cannot be sent; send date.toISOString() or date.getTime()";
  if (ArrayBuffer.isView(input)) return `a ${input.constructor.name} cannot be sent; send a Uint8Array of its bytes`;
  if (input instanceof ArrayBuffer) return "an ArrayBuffer cannot be sent; wrap it: new Uint8Array(buffer)";
  if (input instanceof Set) return "a Set cannot be sent; send an array: [...set]";
  const name = (input as { constructor?: { name?: unknown } }).constructor?.name;
  return `an instance of ${typeof name === "string" && name !== "" ? name : "a class"} cannot be sent; send a plain object, an array or a primitive`;
}

function invalid(path: string, message: string): ProtocolError {
  return new ProtocolError("INVALID_VALUE", `${path}: ${message}`, { path });
}

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * fromValue maps a protobuf Value to JavaScript (PROTOCOL.md §9.7): ints become numbers when
 * they are safe integers and bigints otherwise, bytes Uint8Array, maps plain objects. An
 * absent Value is null. It assumes a validated Value (the frame decoder validates).
 */
export function fromValue(value: Value | undefined): PlainValue {
  if (value === undefined) return null;
  const kind = value.kind;
  switch (kind.case) {
    case "intValue": {
      const n = kind.value;
      return n >= SAFE_MIN && n <= SAFE_MAX ? Number(n) : n;
    }
    case "stringValue":
    case "boolValue":
    case "doubleValue":
    case "bytesValue":
      return kind.value;
    case "listValue": {
      const items = kind.value.items;
      const out = new Array<PlainValue>(items.length);
      for (let i = 0; i < items.length; i++) out[i] = fromValue(items[i]);
      return out;
    }
    case "mapValue": {
      const out: { [key: string]: PlainValue } = {};
      for (const entry of kind.value.entries) {
        if (entry.key === "__proto__") {
          Object.defineProperty(out, entry.key, { value: fromValue(entry.value), enumerable: true, writable: true, configurable: true });
        } else {
          out[entry.key] = fromValue(entry.value);
        }
      }
      return out;
    }
    case "nullValue":
    case undefined:
      return null;
  }
}
