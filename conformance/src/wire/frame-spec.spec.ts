import { FrameSchema, fromValue } from "@polyproc/protocol";
import { describe, expect, it } from "vitest";
import { match } from "../match.js";
import { frameFromSpec, frameKind, kindNumbers, readableFrame, valueFromSpec } from "./frame-spec.js";

describe("frameFromSpec and readableFrame", () => {
  it("builds a call whose args are a plain value, and reads it back in the same shape", () => {
    const frame = frameFromSpec({ call: { id: 1, function: "echo", args: { a: 1, b: [true, "x", null], c: 1.5 }, metadata: { trace: "t1" } } });
    expect(frame.kind.case).toBe("call");
    expect(readableFrame(frame)).toEqual({
      call: { id: 1, function: "echo", target: "", args: { a: 1, b: [true, "x", null], c: 1.5 }, deadlineMs: 0, metadata: { trace: "t1" }, streaming: false, initialCredit: 0 },
    });
  });

  it("round-trips a result with an error code (CODE_ optional) and details", () => {
    for (const code of ["NOT_FOUND", "CODE_NOT_FOUND"]) {
      const readable = readableFrame(frameFromSpec({ result: { id: 3, error: { code, message: "no such thing", details: { missing: ["a", 2] }, retryable: true } } }));
      expect(readable).toEqual({ result: { id: 3, error: { code: "NOT_FOUND", message: "no such thing", details: { missing: ["a", 2] }, originPlugin: "", originInstance: "", retryable: true } } });
      expect(match(readable, { result: { error: { code: "NOT_FOUND", details: { missing: { $length: 2 } } } } })).toEqual([]);
    }
  });

  it("round-trips a stream end with an error, a result value of null and welcome settings", () => {
    expect(readableFrame(frameFromSpec({ streamEnd: { id: 4, error: { code: "ABORTED", message: "failed at 2", details: { at: 2 } } } }))).toMatchObject({
      streamEnd: { id: 4, error: { code: "ABORTED", details: { at: 2 } } },
    });
    expect(readableFrame(frameFromSpec({ result: { id: 4, value: null } }))).toEqual({ result: { id: 4, value: null } });
    expect(readableFrame(frameFromSpec({ welcome: { settings: { mode: "fast" } } }))).toMatchObject({ welcome: { settings: { mode: "fast" } } });
    expect(readableFrame(frameFromSpec({ streamItem: { id: 5, value: "item" } }))).toEqual({ streamItem: { id: 5, value: "item" } });
  });

  it("reads ids beyond 2^53 as bigints and small ids and seqs as numbers", () => {
    expect(readableFrame(frameFromSpec({ cancel: { id: "18446744073709551615", reason: "r" } }))).toEqual({ cancel: { id: 18446744073709551615n, reason: "r" } });
    expect(readableFrame(frameFromSpec({ ping: { seq: 17 } }))).toEqual({ ping: { seq: 17 } });
  });

  it("makes values from the $nested, $bytes, $string and $raw generators", () => {
    const args = (spec: unknown) => readableFrame(frameFromSpec({ call: { id: 1, function: "echo", args: spec } })).call as { args: unknown };
    expect(args({ $nested: 3 }).args).toEqual([[[null]]]);
    expect(args({ $bytes: 4 }).args).toEqual(new Uint8Array(4));
    expect(args({ $string: 5 }).args).toBe("xxxxx");
    expect(args({ $raw: { mapValue: { entries: [{ key: "b", value: { boolValue: true } }] } } }).args).toEqual({ b: true });
  });

  it("nests $nested as deep as asked, for values past the depth limit", () => {
    let value = valueFromSpec({ $nested: 100 });
    let depth = 0;
    while (value.kind.case === "listValue") {
      value = value.kind.value.items[0]!;
      depth++;
    }
    expect(depth).toBe(100);
    expect(value.kind.case).toBe("nullValue");
  });

  it("shows a received value the protocol refuses as $invalid, naming the rule and the path", () => {
    const readable = readableFrame(frameFromSpec({ call: { id: 1, function: "echo", args: { $nested: 100 } } })) as { call: { args: unknown } };
    expect(readable.call.args).toEqual({ $invalid: expect.stringMatching(/^VALUE_TOO_DEEP: call\.args(\[0\])+ is nested deeper than 64 levels$/) });
  });

  it("keeps metadata as sent and as received: its keys are not field names", () => {
    const frame = frameFromSpec({ call: { id: 1, function: "metadata", metadata: { code: "abc", id: "42", seq: "7" } } });
    expect((frame.kind.value as { metadata: Record<string, string> }).metadata).toEqual({ code: "abc", id: "42", seq: "7" });
    expect(readableFrame(frame)).toMatchObject({ call: { id: 1, metadata: { code: "abc", id: "42", seq: "7" } } });
  });

  it("leaves a plain value alone when valueFromSpec is given one", () => {
    expect(fromValue(valueFromSpec({ $a: 1, b: 2 }))).toEqual({ $a: 1, b: 2 });
    expect(fromValue(valueFromSpec([1, "two"]))).toEqual([1, "two"]);
  });

  it("throws naming the problem for a malformed frame", () => {
    expect(() => frameFromSpec(null)).toThrow("a frame must be an object with one key, its kind; got null");
    expect(() => frameFromSpec({ nope: {} })).toThrow(/exactly one key naming its kind \(call, result, .*\); got \["nope"\]/);
    expect(() => frameFromSpec({ ping: {}, pong: {} })).toThrow('got ["ping","pong"]');
    expect(() => frameFromSpec({ ping: [] })).toThrow("the fields of a ping frame must be an object; got []");
    expect(() => frameFromSpec({ ping: { sq: 1 } })).toThrow(/^the frame \{"ping":\{"sq":1\}\} is not a valid Frame: .*"sq" is unknown/);
    expect(() => frameFromSpec({ call: { args: { $foo: 1 } } })).toThrow("call.args: unknown value generator $foo; use $nested, $bytes, $string or $raw");
    expect(() => frameFromSpec({ result: { id: 1, error: { code: "NO_SUCH_CODE" } } })).toThrow(/not a valid Frame/);
  });

  it("accepts a kind with no fields", () => {
    expect(readableFrame(frameFromSpec({ goodbye: null }))).toMatchObject({ goodbye: {} });
  });
});

describe("frameKind", () => {
  it("names the kind of a frame spec or readable frame", () => {
    expect(frameKind({ streamItem: { id: 1 } })).toBe("streamItem");
    expect(() => frameKind({})).toThrow(/exactly one key/);
  });
});

describe("kindNumbers", () => {
  it("agrees with the field numbers of Frame's oneof", () => {
    const numbers = Object.fromEntries(FrameSchema.fields.map((field) => [field.localName, field.number]));
    expect(numbers).toEqual(kindNumbers);
  });
});
