import type { ListValue, MapEntry, MapValue, Value } from "./gen/polyproc/v1/value_pb.js";
import { MAX_VALUE_DEPTH } from "./limits.js";
import { FAST_PATH_MISS } from "./fast-path-miss.js";
import type { WireReader } from "./wire-reader.js";

/**
 * readValue reads a length-delimited Value message at `depth` (1 for a frame's top-level
 * Value) into the object fromBinary would build, and checks it as validateValue does
 * (PROTOCOL.md §9): a kind set, no map key twice, no more than 64 levels. A Value that
 * breaks one of those rules, or that protobuf-es would merge or keep unknown fields of, is
 * FAST_PATH_MISS: the slow path then reports the rule that was broken.
 */
export function readValue(r: WireReader, depth: number): Value {
  if (depth > MAX_VALUE_DEPTH) throw FAST_PATH_MISS;
  const length = r.length();
  const end = r.pos + length;
  let kind: Value["kind"] | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    if (kind !== undefined) throw FAST_PATH_MISS; // a second kind: protobuf-es replaces or merges
    switch (tag) {
      case 0x0a:
        if (r.length() !== 0) throw FAST_PATH_MISS;
        kind = { case: "nullValue", value: { $typeName: "polyproc.v1.Null" } };
        break;
      case 0x10:
        kind = { case: "boolValue", value: r.bool() };
        break;
      case 0x18:
        kind = { case: "intValue", value: r.sint64() };
        break;
      case 0x21:
        kind = { case: "doubleValue", value: r.double() };
        break;
      case 0x2a:
        kind = { case: "stringValue", value: r.string() };
        break;
      case 0x32:
        kind = { case: "bytesValue", value: r.bytes() };
        break;
      case 0x3a:
        kind = { case: "listValue", value: readList(r, depth) };
        break;
      case 0x42:
        kind = { case: "mapValue", value: readMap(r, depth) };
        break;
      default:
        throw FAST_PATH_MISS;
    }
  }
  if (r.pos !== end || kind === undefined) throw FAST_PATH_MISS;
  return { $typeName: "polyproc.v1.Value", kind };
}

function readList(r: WireReader, depth: number): ListValue {
  const length = r.length();
  const end = r.pos + length;
  const items: Value[] = [];
  while (r.pos < end) {
    if (r.tag() !== 0x0a) throw FAST_PATH_MISS;
    items.push(readValue(r, depth + 1));
  }
  if (r.pos !== end) throw FAST_PATH_MISS;
  return { $typeName: "polyproc.v1.ListValue", items };
}

function readMap(r: WireReader, depth: number): MapValue {
  const length = r.length();
  const end = r.pos + length;
  const entries: MapEntry[] = [];
  let seen: Set<string> | undefined;
  while (r.pos < end) {
    if (r.tag() !== 0x0a) throw FAST_PATH_MISS;
    const entry = readEntry(r, depth);
    // A key twice is INVALID_VALUE (§9.6): a linear scan for small maps, a set for large ones.
    if (seen !== undefined) {
      if (seen.has(entry.key)) throw FAST_PATH_MISS;
      seen.add(entry.key);
    } else {
      for (let i = 0; i < entries.length; i++) if (entries[i]!.key === entry.key) throw FAST_PATH_MISS;
      if (entries.length === SCAN_LIMIT) seen = new Set(entries.map((e) => e.key)).add(entry.key);
    }
    entries.push(entry);
  }
  if (r.pos !== end) throw FAST_PATH_MISS;
  return { $typeName: "polyproc.v1.MapValue", entries };
}

const SCAN_LIMIT = 8;

function readEntry(r: WireReader, depth: number): MapEntry {
  const length = r.length();
  const end = r.pos + length;
  const entry: MapEntry = { $typeName: "polyproc.v1.MapEntry", key: "" };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x0a) {
      entry.key = r.string();
    } else if (tag === 0x12 && entry.value === undefined) {
      entry.value = readValue(r, depth + 1);
    } else {
      throw FAST_PATH_MISS;
    }
  }
  if (r.pos !== end) throw FAST_PATH_MISS;
  // An absent value is a null one level down, and counts for depth (§9.4).
  if (entry.value === undefined && depth + 1 > MAX_VALUE_DEPTH) throw FAST_PATH_MISS;
  return entry;
}
