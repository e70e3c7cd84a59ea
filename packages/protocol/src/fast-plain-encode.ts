import { FAST_PATH_MISS } from "./fast-path-miss.js";
import { MAX_VALUE_DEPTH } from "./limits.js";
import { compareMapKeys } from "./map-key-order.js";
import type { WireWriter } from "./wire-writer.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// Safe integers in this range have a zigzag encoding that fits 32 bits.
const SMALL_INT = 0x4000_0000;

/**
 * putPlain writes the fields of the Value message that toValue (value-mapping.ts) would make
 * of a JavaScript value (PROTOCOL.md §9.7), byte for byte as putValue writes that Value,
 * without building it. It handles the inputs toValue maps without tracking paths: valid
 * primitives, Uint8Array, arrays and plain objects up to 64 levels. Anything else (Maps,
 * invalid or too deep input, cycles) throws FAST_PATH_MISS, having written part of it: the
 * caller then maps the value with toValue, which reports the error or handles the input.
 */
export function putPlain(w: WireWriter, input: unknown, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw FAST_PATH_MISS;
  switch (typeof input) {
    case "boolean":
      w.byte(0x10);
      w.byte(input ? 1 : 0);
      return;
    case "number":
      putNumber(w, input);
      return;
    case "bigint":
      if (input < INT64_MIN || input > INT64_MAX) throw FAST_PATH_MISS;
      w.byte(0x18);
      w.sint64(input);
      return;
    case "string":
      if (!input.isWellFormed()) throw FAST_PATH_MISS;
      w.byte(0x2a);
      w.string(input);
      return;
    case "object":
      putObject(w, input, depth);
      return;
    default:
      throw FAST_PATH_MISS;
  }
}

// A safe integer (not -0) is an int, any other number a double (§9.7).
function putNumber(w: WireWriter, n: number): void {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) {
    w.byte(0x21);
    w.double(n);
    return;
  }
  w.byte(0x18);
  if (n >= -SMALL_INT && n < SMALL_INT) w.uint32(n >= 0 ? n * 2 : -n * 2 - 1);
  else w.sint64(BigInt(n));
}

function putObject(w: WireWriter, input: object | null, depth: number): void {
  if (input === null) {
    w.byte(0x0a);
    w.byte(0);
  } else if (input instanceof Uint8Array) {
    w.byte(0x32);
    w.bytes(input);
  } else if (Array.isArray(input)) {
    putList(w, input, depth);
  } else {
    putMap(w, input, depth);
  }
}

function putList(w: WireWriter, input: readonly unknown[], depth: number): void {
  w.byte(0x3a);
  const mark = w.begin();
  for (let i = 0; i < input.length; i++) {
    const item = input[i];
    if (item === undefined) throw FAST_PATH_MISS;
    w.byte(0x0a);
    const itemMark = w.begin();
    putPlain(w, item, depth + 1);
    w.end(itemMark);
  }
  w.end(mark);
}

// A plain object: its members in code point order of their keys, undefined ones left out.
function putMap(w: WireWriter, input: object, depth: number): void {
  const proto: unknown = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) throw FAST_PATH_MISS;
  const keys = Object.keys(input);
  if (!isSorted(keys)) keys.sort(compareMapKeys);
  w.byte(0x42);
  const mark = w.begin();
  for (const key of keys) {
    const member = (input as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (!key.isWellFormed()) throw FAST_PATH_MISS;
    w.byte(0x0a);
    const entryMark = w.begin();
    if (key !== "") {
      w.byte(0x0a);
      w.string(key);
    }
    w.byte(0x12);
    const valueMark = w.begin();
    putPlain(w, member, depth + 1);
    w.end(valueMark);
    w.end(entryMark);
  }
  w.end(mark);
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (compareMapKeys(keys[i - 1]!, keys[i]!) > 0) return false;
  return true;
}
