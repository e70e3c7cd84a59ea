import { FAST_PATH_MISS } from "./fast-path-miss.js";
import { MAX_VALUE_DEPTH } from "./limits.js";
import type { PlainValue } from "./value-mapping.js";
import type { WireReader } from "./wire-reader.js";

/**
 * readPlain reads a length-delimited Value message at `depth` (1 for a frame's top-level
 * Value) straight into the JavaScript value fromValue would make of it (PROTOCOL.md §9.7),
 * without building the Value. It accepts exactly what readValue (fast-value-decode.ts)
 * accepts and checks the same rules (a kind set, no map key twice, no more than 64 levels);
 * everything else is FAST_PATH_MISS, and the slow path then reports the rule that was broken.
 */
export function readPlain(r: WireReader, depth: number): PlainValue {
  if (depth > MAX_VALUE_DEPTH) throw FAST_PATH_MISS;
  const length = r.length();
  const end = r.pos + length;
  let value: PlainValue | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    if (value !== undefined) throw FAST_PATH_MISS; // a second kind: protobuf-es replaces or merges
    switch (tag) {
      case 0x0a:
        if (r.length() !== 0) throw FAST_PATH_MISS;
        value = null;
        break;
      case 0x10:
        value = r.bool();
        break;
      case 0x18:
        value = r.sint64Plain();
        break;
      case 0x21:
        value = r.double();
        break;
      case 0x2a:
        value = r.string();
        break;
      case 0x32:
        value = r.bytes();
        break;
      case 0x3a:
        value = readList(r, depth);
        break;
      case 0x42:
        value = readMap(r, depth);
        break;
      default:
        throw FAST_PATH_MISS;
    }
  }
  if (r.pos !== end || value === undefined) throw FAST_PATH_MISS;
  return value;
}

function readList(r: WireReader, depth: number): PlainValue[] {
  const length = r.length();
  const end = r.pos + length;
  const items: PlainValue[] = [];
  while (r.pos < end) {
    if (r.tag() !== 0x0a) throw FAST_PATH_MISS;
    items.push(readPlain(r, depth + 1));
  }
  if (r.pos !== end) throw FAST_PATH_MISS;
  return items;
}

function readMap(r: WireReader, depth: number): { [key: string]: PlainValue } {
  const length = r.length();
  const end = r.pos + length;
  const out: { [key: string]: PlainValue } = {};
  while (r.pos < end) {
    if (r.tag() !== 0x0a) throw FAST_PATH_MISS;
    readEntry(r, depth, out);
  }
  if (r.pos !== end) throw FAST_PATH_MISS;
  return out;
}

// Reads one entry into out; a key twice is INVALID_VALUE (§9.6), so a miss.
function readEntry(r: WireReader, depth: number, out: { [key: string]: PlainValue }): void {
  const length = r.length();
  const end = r.pos + length;
  let key = "";
  let value: PlainValue | undefined;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x0a) {
      key = r.string();
    } else if (tag === 0x12 && value === undefined) {
      value = readPlain(r, depth + 1);
    } else {
      throw FAST_PATH_MISS;
    }
  }
  if (r.pos !== end) throw FAST_PATH_MISS;
  // An absent value is a null one level down, and counts for depth (§9.4).
  if (value === undefined) {
    if (depth + 1 > MAX_VALUE_DEPTH) throw FAST_PATH_MISS;
    value = null;
  }
  if (Object.hasOwn(out, key)) throw FAST_PATH_MISS;
  if (key === "__proto__") {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}
