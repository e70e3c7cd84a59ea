import type { ListValue, MapEntry, MapValue, Value } from "./gen/polyproc/v1/value_pb.js";
import { FAST_PATH_MISS } from "./fast-path-miss.js";
import type { WireWriter } from "./wire-writer.js";

/** checkNoUnknown throws FAST_PATH_MISS when a message carries unknown fields to write back. */
export function checkNoUnknown(message: { $unknown?: unknown[] }): void {
  const unknown = message.$unknown;
  if (unknown !== undefined && unknown !== null && unknown.length !== 0) throw FAST_PATH_MISS;
}

/** checkMessage throws FAST_PATH_MISS unless value is a message of the type named. */
export function checkMessage(value: unknown, typeName: string): void {
  if (typeof value !== "object" || value === null || (value as { $typeName?: unknown }).$typeName !== typeName) {
    throw FAST_PATH_MISS;
  }
  checkNoUnknown(value as { $unknown?: unknown[] });
}

// Past this depth the encoder leaves the Value to protobuf-es rather than risk the stack.
const MAX_FAST_DEPTH = 100;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * putValue writes the fields of a Value message (PROTOCOL.md §9) as protobuf-es's toBinary
 * does: the one field of its kind, even when that field holds a zero (a oneof member is set
 * by its case), and nothing for a Value without a kind. It throws FAST_PATH_MISS for values
 * of the wrong type and for messages carrying unknown fields.
 */
export function putValue(w: WireWriter, value: Value, depth: number): void {
  checkMessage(value, "polyproc.v1.Value");
  if (depth > MAX_FAST_DEPTH) throw FAST_PATH_MISS;
  const kind = value.kind;
  if (typeof kind !== "object" || kind === null) throw FAST_PATH_MISS;
  switch (kind.case) {
    case "nullValue":
      checkMessage(kind.value, "polyproc.v1.Null");
      w.byte(0x0a);
      w.byte(0);
      return;
    case "boolValue":
      w.byte(0x10);
      w.byte(kind.value ? 1 : 0);
      return;
    case "intValue": {
      const n = kind.value;
      if (typeof n !== "bigint" || n < INT64_MIN || n > INT64_MAX) throw FAST_PATH_MISS;
      w.byte(0x18);
      w.sint64(n);
      return;
    }
    case "doubleValue":
      if (typeof kind.value !== "number") throw FAST_PATH_MISS;
      w.byte(0x21);
      w.double(kind.value);
      return;
    case "stringValue":
      if (typeof kind.value !== "string") throw FAST_PATH_MISS;
      w.byte(0x2a);
      w.string(kind.value);
      return;
    case "bytesValue":
      if (!(kind.value instanceof Uint8Array)) throw FAST_PATH_MISS;
      w.byte(0x32);
      w.bytes(kind.value);
      return;
    case "listValue":
      putList(w, kind.value, depth);
      return;
    case "mapValue":
      putMap(w, kind.value, depth);
      return;
    default:
      return;
  }
}

function putList(w: WireWriter, list: ListValue, depth: number): void {
  checkMessage(list, "polyproc.v1.ListValue");
  const items = list.items;
  if (!Array.isArray(items)) throw FAST_PATH_MISS;
  w.byte(0x3a);
  const mark = w.begin();
  for (let i = 0; i < items.length; i++) {
    w.byte(0x0a);
    const itemMark = w.begin();
    putValue(w, items[i]!, depth + 1);
    w.end(itemMark);
  }
  w.end(mark);
}

function putMap(w: WireWriter, map: MapValue, depth: number): void {
  checkMessage(map, "polyproc.v1.MapValue");
  const entries = map.entries;
  if (!Array.isArray(entries)) throw FAST_PATH_MISS;
  w.byte(0x42);
  const mark = w.begin();
  for (let i = 0; i < entries.length; i++) {
    w.byte(0x0a);
    const entryMark = w.begin();
    putEntry(w, entries[i]!, depth);
    w.end(entryMark);
  }
  w.end(mark);
}

function putEntry(w: WireWriter, entry: MapEntry, depth: number): void {
  checkMessage(entry, "polyproc.v1.MapEntry");
  const key = entry.key;
  if (typeof key !== "string") throw FAST_PATH_MISS;
  if (key !== "") {
    w.byte(0x0a);
    w.string(key);
  }
  if (entry.value !== undefined && Object.hasOwn(entry, "value")) {
    w.byte(0x12);
    const valueMark = w.begin();
    putValue(w, entry.value, depth + 1);
    w.end(valueMark);
  }
}
