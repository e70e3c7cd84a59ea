// Frames as cases write them: `{call: {id: 1, function: echo, args: {a: 1}}}`. The frame kind
// is the single key (the proto-JSON name of Frame's oneof member), its fields are the message's
// proto-JSON fields, except that Value fields hold plain values and error codes may drop
// their CODE_ prefix. The readable form of a received frame has the same shape, so a case
// compares what it received with what it expects (match.ts).

import { type Frame, FrameSchema, type Value, ValueSchema, fromJson, fromValue, toJson, toValue, validateValue } from "@polyproc/protocol";
import { type JsonValue, create } from "@bufbuild/protobuf";

/** valueFields lists, per frame kind, the paths of its Value fields (plain values in cases). */
const valueFields: Record<string, string[][]> = {
  call: [["args"]],
  result: [["value"], ["error", "details"]],
  streamItem: [["value"]],
  streamEnd: [["error", "details"]],
  publish: [["value"]],
  welcome: [["settings"]],
};

/**
 * frameFromSpec builds the Frame a case describes. It throws an Error naming the problem
 * (an unknown kind or field, a wrong type) so that a malformed case is reported as such.
 * Value fields accept generators: `{$nested: N}` (a list nested N deep around null),
 * `{$bytes: N}` (N zero bytes), `{$string: N}` (N times "x") and `{$raw: <proto-JSON Value>}`
 * for a Value no plain value makes (a map with a duplicate key, an unset kind).
 */
export function frameFromSpec(spec: unknown): Frame {
  const { kind, fields } = splitKind(spec);
  const json = structuredClone(fields) as Record<string, unknown>;
  const values: [string[], Value][] = [];
  for (const path of valueFields[kind] ?? []) {
    const parent = path.slice(0, -1).reduce<Record<string, unknown> | undefined>((at, key) => at?.[key] as Record<string, unknown> | undefined, json);
    const last = path[path.length - 1]!;
    if (parent === undefined || !(last in parent)) continue;
    values.push([path, valueFromSpec(parent[last], `${kind}.${path.join(".")}`)]);
    parent[last] = { nullValue: null }; // a placeholder, so that fromJson sets the field's oneof case

  }
  renameCodes(json);
  let frame: Frame;
  try {
    frame = fromJson(FrameSchema, { [kind]: json } as JsonValue);
  } catch (error) {
    throw new Error(`the frame ${JSON.stringify(spec)} is not a valid Frame: ${(error as Error).message}`, { cause: error });
  }
  const message = frame.kind.value as unknown as Record<string, unknown>;
  for (const [path, value] of values) {
    const parent = path.slice(0, -1).reduce<Record<string, unknown> | undefined>((at, key) => child(at, key) as Record<string, unknown> | undefined, message);
    if (parent !== undefined) setChild(parent, path[path.length - 1]!, value);
  }
  return frame;
}

/** valueFromSpec makes the Value of a plain value or a generator (see frameFromSpec). */
export function valueFromSpec(spec: unknown, where = "value"): Value {
  if (spec !== null && typeof spec === "object" && !Array.isArray(spec)) {
    const entries = Object.entries(spec);
    if (entries.length === 1 && entries[0]![0].startsWith("$")) {
      const [name, operand] = entries[0]!;
      switch (name) {
        case "$nested": {
          let value = create(ValueSchema, { kind: { case: "nullValue", value: {} } });
          for (let i = 0; i < Number(operand); i++) value = create(ValueSchema, { kind: { case: "listValue", value: { items: [value] } } });
          return value;
        }
        case "$bytes":
          return toValue(new Uint8Array(Number(operand)));
        case "$string":
          return toValue("x".repeat(Number(operand)));
        case "$raw":
          return fromJson(ValueSchema, operand as JsonValue);
        default:
          throw new Error(`${where}: unknown value generator ${name}; use $nested, $bytes, $string or $raw`);
      }
    }
  }
  return toValue(spec, where);
}

/** readableFrame turns a received Frame into the shape cases write (see the file comment). */
export function readableFrame(frame: Frame): Record<string, unknown> {
  const kind = frame.kind.case;
  if (kind === undefined) return { empty: {} };
  const fields = toJson(FrameSchema, frame, { alwaysEmitImplicit: true }) as Record<string, Record<string, unknown>>;
  const readable = normalize(fields[kind] ?? {}) as Record<string, unknown>;
  const message = frame.kind.value as unknown as Record<string, unknown>;
  for (const path of valueFields[kind] ?? []) {
    let source: unknown = message;
    let target: Record<string, unknown> | undefined = readable;
    for (const key of path.slice(0, -1)) {
      source = child(source as Record<string, unknown> | undefined, key);
      target = target?.[key] as Record<string, unknown> | undefined;
    }
    const last = path[path.length - 1]!;
    const value = child(source as Record<string, unknown> | undefined, last) as Value | undefined;
    if (target === undefined || value === undefined) continue;
    try {
      validateValue(value, `${kind}.${path.join(".")}`);
      target[last] = fromValue(value);
    } catch (error) {
      // A Value the protocol refuses (nested too deep, a duplicate map key, no kind).
      target[last] = { $invalid: (error as Error).message };
    }
  }
  return { [kind]: readable };
}

/** child reads a field of a protobuf-es message, also when it is a member of a oneof ({case, value}). */
function child(message: Record<string, unknown> | undefined, key: string): unknown {
  if (message === undefined) return undefined;
  if (message[key] !== undefined) return message[key];
  for (const field of Object.values(message)) {
    if (field !== null && typeof field === "object" && (field as { case?: unknown }).case === key) return (field as { value: unknown }).value;
  }
  return undefined;
}

/** setChild sets a field of a protobuf-es message that fromJson has set, also inside a oneof. */
function setChild(message: Record<string, unknown>, key: string, value: unknown): void {
  if (key in message) {
    message[key] = value;
    return;
  }
  for (const field of Object.values(message)) {
    if (field !== null && typeof field === "object" && (field as { case?: unknown }).case === key) (field as { value: unknown }).value = value;
  }
}

/** frameKind returns the kind of a readable frame or frame spec: its single key. */
export function frameKind(spec: unknown): string {
  return splitKind(spec).kind;
}

function splitKind(spec: unknown): { kind: string; fields: Record<string, unknown> } {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new Error(`a frame must be an object with one key, its kind; got ${JSON.stringify(spec)}`);
  const keys = Object.keys(spec);
  const kind = keys[0];
  if (keys.length !== 1 || kind === undefined || !(kind in kindNumbers)) {
    throw new Error(`a frame must have exactly one key naming its kind (${Object.keys(kindNumbers).join(", ")}); got ${JSON.stringify(keys)}`);
  }
  const fields = (spec as Record<string, unknown>)[kind] ?? {};
  if (typeof fields !== "object" || Array.isArray(fields)) throw new Error(`the fields of a ${kind} frame must be an object; got ${JSON.stringify(fields)}`);
  return { kind, fields: fields as Record<string, unknown> };
}

/** kindNumbers maps each frame kind to its Frame field number (PROTOCOL.md §3). */
export const kindNumbers: Record<string, number> = {
  call: 1, result: 2, streamItem: 3, streamEnd: 4, credit: 5, cancel: 6, publish: 7, ping: 8,
  pong: 9, hello: 10, welcome: 11, reject: 12, subscribe: 13, unsubscribe: 14, shutdown: 15, goodbye: 16,
};

/**
 * renameCodes prefixes bare error code names ("INTERNAL") with CODE_, as proto JSON spells
 * them. Metadata maps are user data and keep their keys and values.
 */
function renameCodes(json: unknown): void {
  if (json === null || typeof json !== "object") return;
  for (const [key, value] of Object.entries(json)) {
    if (key === "metadata") continue;
    if (key === "code" && typeof value === "string" && !value.startsWith("CODE_")) (json as Record<string, unknown>)[key] = `CODE_${value}`;
    else renameCodes(value);
  }
}

/**
 * normalize makes proto JSON readable: int64 strings become numbers when safe, CODE_X becomes
 * X. Metadata maps are user data and stay as they are.
 */
function normalize(json: unknown, key = ""): unknown {
  if (Array.isArray(json)) return json.map((item) => normalize(item));
  if (key === "metadata") return json;
  if (json !== null && typeof json === "object") {
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, normalize(v, k)]));
  }
  if (typeof json === "string" && key === "code") return json.replace(/^CODE_/, "");
  if (typeof json === "string" && /^(id|seq)$/.test(key) && /^\d+$/.test(json)) {
    const n = Number(json);
    return Number.isSafeInteger(n) ? n : BigInt(json);
  }
  return json;
}
