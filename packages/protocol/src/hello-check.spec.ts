// The host's checks of a Hello (PROTOCOL.md §4.3, §4.4 checks 2 to 4).
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { FunctionSpecSchema, type Hello, HelloSchema } from "./gen/polyproc/v1/handshake_pb.js";
import { checkHello, isValidFunctionName } from "./hello-check.js";
import { allCapabilities } from "./peer-types.js";

function hello(init: Parameters<typeof create<typeof HelloSchema>>[1] = {}): Hello {
  return create(HelloSchema, { token: "ab".repeat(32), minProtocol: 1, maxProtocol: 1, sdkLanguage: "node", sdkVersion: "1.0.0", pluginName: "math", ...init });
}

const fn = (name: string, more: { streaming?: boolean; paramsSchema?: string; resultSchema?: string } = {}) => create(FunctionSpecSchema, { name, ...more });

describe("checkHello, versions (§4.3)", () => {
  it("chooses the highest common version", () => {
    expect(checkHello(hello({ minProtocol: 1, maxProtocol: 3 }), 1, 2, allCapabilities)).toEqual({ ok: true, protocol: 2, capabilities: [] });
    expect(checkHello(hello({ minProtocol: 2, maxProtocol: 2 }), 1, 5, [])).toMatchObject({ ok: true, protocol: 2 });
  });

  it.each([
    [0, 1],
    [2, 1],
    [0, 0],
  ])("a malformed range %i..%i is INVALID_ARGUMENT (check 2)", (min, max) => {
    expect(checkHello(hello({ minProtocol: min, maxProtocol: max }), 1, 1, [])).toMatchObject({ ok: false, code: "INVALID_ARGUMENT", message: expect.stringContaining("min_protocol") });
  });

  it("no common version is FAILED_PRECONDITION naming both ranges (check 3)", () => {
    expect(checkHello(hello({ minProtocol: 2, maxProtocol: 3 }), 1, 1, [])).toEqual({
      ok: false,
      code: "FAILED_PRECONDITION",
      message: "no common protocol version: the plugin speaks protocol 2..3, the host 1..1; upgrade the older of the two",
    });
  });

  it("a malformed range is reported before a missing common version", () => {
    expect(checkHello(hello({ minProtocol: 5, maxProtocol: 3, pluginName: "" }), 1, 1, [])).toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});

describe("checkHello, the rest of the Hello (§4.4 check 4)", () => {
  const bad: [string, Parameters<typeof hello>[0], RegExp][] = [
    ["empty plugin_name", { pluginName: "" }, /plugin_name is empty/],
    ["empty sdk_language", { sdkLanguage: "" }, /sdk_language is empty/],
    ["invalid function name", { functions: [fn("9lives")] }, /functions\[0\]\.name "9lives" is not a valid function name/],
    ["duplicate function", { functions: [fn("a"), fn("a")] }, /functions\[1\]\.name "a" is declared twice/],
    ["invalid params schema", { functions: [fn("a", { paramsSchema: "{" })] }, /params_schema of "a" is not valid JSON/],
    ["invalid result schema", { functions: [fn("a", { resultSchema: "nope" })] }, /result_schema of "a" is not valid JSON/],
    ["streaming without capability", { functions: [fn("a", { streaming: true })] }, /"streaming" was not negotiated/],
    ["invalid pattern", { subscriptions: ["a..b"], capabilities: ["pubsub"] }, /subscriptions\[0\] "a..b" is not a valid topic pattern/],
    ["subscriptions without pubsub", { subscriptions: ["a.>"] }, /"pubsub" was not negotiated/],
  ];
  it.each(bad)("%s is INVALID_ARGUMENT naming the field", (_name, init, message) => {
    expect(checkHello(hello(init), 1, 1, allCapabilities)).toMatchObject({ ok: false, code: "INVALID_ARGUMENT", message: expect.stringMatching(message) });
  });

  it("a streaming function is fine when streaming is negotiated; not when the host lacks it", () => {
    const h = hello({ functions: [fn("watch", { streaming: true, resultSchema: '{"type":"number"}' })], capabilities: ["streaming"] });
    expect(checkHello(h, 1, 1, allCapabilities)).toEqual({ ok: true, protocol: 1, capabilities: ["streaming"] });
    expect(checkHello(h, 1, 1, [])).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
  });

  it("capabilities are the intersection, unknown strings ignored, without repeats", () => {
    const h = hello({ capabilities: ["pubsub", "teleport", "streaming", "pubsub"] });
    expect(checkHello(h, 1, 1, allCapabilities)).toMatchObject({ ok: true, capabilities: ["pubsub", "streaming"] });
  });
});

describe("isValidFunctionName (§4.1)", () => {
  it.each(["add", "_x", "math.add", "a-b", "A".repeat(128)])("accepts %s", (name) => expect(isValidFunctionName(name)).toBe(true));
  it.each(["", "1a", ".a", "a b", "A".repeat(129), "é"])("refuses %s", (name) => expect(isValidFunctionName(name)).toBe(false));
});
