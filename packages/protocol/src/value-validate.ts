import type { Value } from "./gen/polyproc/v1/value_pb.js";
import type { Frame } from "./gen/polyproc/v1/frame_pb.js";
import { MAX_VALUE_DEPTH } from "./limits.js";
import { ProtocolError } from "./protocol-error.js";
import { indexPath, keyPath } from "./value-path.js";

/**
 * validateValue checks the rules of PROTOCOL.md §9 that protobuf cannot: every Value has a
 * kind, no map has a key twice, no tree is deeper than 64 levels. It throws ProtocolError
 * INVALID_VALUE or VALUE_TOO_DEEP naming the path.
 */
export function validateValue(value: Value, path = "value"): void {
  check(value, path, 1);
}

function check(value: Value, path: string, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) {
    throw new ProtocolError("VALUE_TOO_DEEP", `${path} is nested deeper than ${MAX_VALUE_DEPTH} levels`, { path });
  }
  const kind = value.kind;
  switch (kind.case) {
    case "listValue": {
      const items = kind.value.items;
      for (let i = 0; i < items.length; i++) check(items[i]!, indexPath(path, i), depth + 1);
      return;
    }
    case "mapValue": {
      const entries = kind.value.entries;
      const seen = entries.length > 1 ? new Set<string>() : undefined;
      for (const entry of entries) {
        const child = keyPath(path, entry.key);
        if (seen !== undefined) {
          if (seen.has(entry.key)) {
            throw new ProtocolError("INVALID_VALUE", `${path} has the key ${JSON.stringify(entry.key)} twice`, { path: child });
          }
          seen.add(entry.key);
        }
        if (entry.value !== undefined) {
          check(entry.value, child, depth + 1);
        } else if (depth + 1 > MAX_VALUE_DEPTH) {
          // An absent entry value is a null one level down (§9.1), and counts for depth.
          throw new ProtocolError("VALUE_TOO_DEEP", `${child} is nested deeper than ${MAX_VALUE_DEPTH} levels`, { path: child });
        }
      }
      return;
    }
    case undefined:
      throw new ProtocolError("INVALID_VALUE", `${path} has no kind set (it must be one of null, bool, int, double, string, bytes, list, map)`, { path });
    default:
      return;
  }
}

/** validateFrameValues applies validateValue to every Value a frame carries (§3.4 step 3). */
export function validateFrameValues(frame: Frame): void {
  const kind = frame.kind;
  switch (kind.case) {
    case "call":
      if (kind.value.args) check(kind.value.args, "call.args", 1);
      return;
    case "result": {
      const outcome = kind.value.outcome;
      if (outcome.case === "value") check(outcome.value, "result.value", 1);
      else if (outcome.case === "error" && outcome.value.details) check(outcome.value.details, "result.error.details", 1);
      return;
    }
    case "streamItem":
      if (kind.value.value) check(kind.value.value, "streamItem.value", 1);
      return;
    case "streamEnd":
      if (kind.value.error?.details) check(kind.value.error.details, "streamEnd.error.details", 1);
      return;
    case "publish":
      if (kind.value.value) check(kind.value.value, "publish.value", 1);
      return;
    case "welcome":
      if (kind.value.settings) check(kind.value.settings, "welcome.settings", 1);
      return;
    default:
      return;
  }
}
