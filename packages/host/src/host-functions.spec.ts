import { PluginError, type StandardSchemaV1 } from "@polyproc/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostFunctionContext } from "./host-function-types.js";
import { PluginHost } from "./plugin-host.js";
import { failureOf, fixtureCommand } from "./test-support.test-fixture.js";

const command = fixtureCommand("two-way-plugin.ts");

/** A Standard Schema that turns `n` into a number, as zod's z.coerce.number() would. */
const coercedNumber: StandardSchemaV1<unknown, { n: number }> = {
  "~standard": {
    version: 1,
    vendor: "test",
    validate: (value) => {
      const n = Number((value as { n?: unknown } | null)?.n);
      return Number.isNaN(n) ? { issues: [{ message: "expected a number", path: ["n"] }] } : { value: { n } };
    },
  },
};

/** A promise that the test resolves from inside a handler. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe("host functions (PROTOCOL.md §5.4.5)", () => {
  let host: PluginHost;
  const aborted = deferred<{ reason: unknown; ctx: HostFunctionContext }>();

  beforeAll(async () => {
    host = await PluginHost.start({
      heartbeat: { intervalMs: 0 },
      plugins: [
        { name: "caller", command, permissions: { hostFunctions: ["greet", "fail.*", "wait", "ctx", "typed", "numbers", "late", "missing"] } },
        { name: "stranger", command },
      ],
      hostFunctions: {
        greet: { handler: (args: { name: string }) => ({ hello: args.name }), description: "says hello", params: { type: "object", required: ["name"] } },
        "fail.coded": { handler: () => Promise.reject(new PluginError("ABORTED", "host says no", { details: { why: 1 } })) },
        "fail.plain": {
          handler: () => {
            throw new Error("boom");
          },
        },
        wait: {
          handler: (_args: unknown, ctx: HostFunctionContext) =>
            new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => (aborted.resolve({ reason: ctx.signal.reason, ctx }), reject(ctx.signal.reason)))),
        },
        ctx: { handler: (_args: unknown, ctx: HostFunctionContext) => ({ plugin: ctx.plugin, instance: ctx.instance, metadata: ctx.metadata, hasDeadline: ctx.deadline !== undefined }) },
        typed: { handler: (args: { n: number }) => args.n * 2, params: coercedNumber },
        numbers: {
          streaming: true,
          handler: async function* (args: { n: number }) {
            for (let i = 0; i < args.n; i++) yield i;
          },
        },
      },
    });
  });
  afterAll(() => host.close({ graceMs: 0 }));

  it("answers a permitted function with the handler's value", async () => {
    await expect(host.call("caller", "hostCall", { fn: "greet", args: { name: "Ada" } })).resolves.toEqual({ hello: "Ada" });
  });

  it("lists in Welcome only the functions the plugin is permitted, with their specs", async () => {
    const welcome = (await host.call("caller", "welcome")) as { hostFunctions: { name: string; paramsSchema: string; streaming: boolean }[]; capabilities: string[] };
    const names = welcome.hostFunctions.map((fn) => fn.name).sort();
    expect(names).toEqual(["ctx", "fail.coded", "fail.plain", "greet", "numbers", "typed", "wait"]);
    expect(JSON.parse(welcome.hostFunctions.find((fn) => fn.name === "greet")!.paramsSchema)).toEqual({ type: "object", required: ["name"] });
    expect(welcome.hostFunctions.find((fn) => fn.name === "numbers")!.streaming).toBe(true);
    expect(welcome.capabilities).toEqual(expect.arrayContaining(["streaming", "host-calls", "plugin-calls"]));
    expect(((await host.call("stranger", "welcome")) as { hostFunctions: unknown[] }).hostFunctions).toEqual([]);
  });

  it("keeps a PluginError's code, message and details; anything else thrown is INTERNAL", async () => {
    const coded = await failureOf(host.call("caller", "hostCall", { fn: "fail.coded" }));
    expect([coded.code, coded.message, coded.details, coded.originPlugin]).toEqual(["ABORTED", "host says no", { why: 1 }, ""]);
    const plain = await failureOf(host.call("caller", "hostCall", { fn: "fail.plain" }));
    expect(plain.code).toBe("INTERNAL");
    expect(plain.message).toContain("boom");
  });

  it("answers PERMISSION_DENIED before NOT_FOUND, naming the missing grant", async () => {
    const denied = await failureOf(host.call("stranger", "hostCall", { fn: "greet", args: { name: "x" } }));
    expect(denied.code).toBe("PERMISSION_DENIED");
    expect(denied.message).toContain("plugins[1].permissions.hostFunctions");
    expect((await failureOf(host.call("stranger", "hostCall", { fn: "missing" }))).code).toBe("PERMISSION_DENIED");
    const missing = await failureOf(host.call("caller", "hostCall", { fn: "missing" }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toContain('"missing"');
  });

  it("checks the arguments against params: JSON Schema and Standard Schema (its output reaches the handler)", async () => {
    const invalid = await failureOf(host.call("caller", "hostCall", { fn: "greet", args: {} }));
    expect(invalid.code).toBe("INVALID_ARGUMENT");
    expect(invalid.message).toContain("name");
    await expect(host.call("caller", "hostCall", { fn: "typed", args: { n: "21" } })).resolves.toBe(42);
  });

  it("gives the handler the caller, its instance, the metadata and the deadline", async () => {
    const seen = (await host.call("caller", "hostCall", { fn: "ctx", metadata: { traceparent: "00-abc-def-01" }, timeoutMs: 5_000 })) as Record<string, unknown>;
    expect(seen).toMatchObject({ plugin: "caller", metadata: { traceparent: "00-abc-def-01" }, hasDeadline: true });
    expect(seen.instance).toMatch(/^caller-\d+$/);
  });

  it("streams a streaming function's items within the caller's credit", async () => {
    await expect(host.call("caller", "routeStream", { target: "", fn: "numbers", args: { n: 7 }, window: 2, grant: true })).resolves.toEqual({ items: [0, 1, 2, 3, 4, 5, 6] });
    const mismatch = await failureOf(host.call("caller", "hostCall", { fn: "numbers", args: { n: 1 } }));
    expect(mismatch.code).toBe("UNIMPLEMENTED");
  });

  it("aborts ctx.signal on the caller's Cancel and answers CANCELLED", async () => {
    const failure = await failureOf(host.call("caller", "hostCall", { fn: "wait", cancelAfterMs: 20 }));
    expect(failure.code).toBe("CANCELLED");
    const { reason } = await aborted.promise;
    expect(PluginError.is(reason, "CANCELLED")).toBe(true);
    expect((reason as Error).message).toContain("cancelled by caller");
  });

  it("aborts ctx.signal at the call's deadline and answers DEADLINE_EXCEEDED", async () => {
    const seen = deferred<unknown>();
    const remove = host.handle("late", (_args, ctx) => {
      ctx.signal.addEventListener("abort", () => seen.resolve(ctx.signal.reason));
      return seen.promise.then(() => null);
    });
    const failure = await failureOf(host.call("caller", "hostCall", { fn: "late", timeoutMs: 50 }));
    expect(failure.code).toBe("DEADLINE_EXCEEDED");
    expect(PluginError.is(await seen.promise, "DEADLINE_EXCEEDED")).toBe(true);
    remove();
    expect((await failureOf(host.call("caller", "hostCall", { fn: "late" }))).code).toBe("NOT_FOUND");
  });

  it("refuses to register an invalid or taken name", () => {
    expect(() => host.handle("greet", () => null)).toThrow(/already registered/);
    expect(() => host.handle("no spaces", () => null)).toThrow(/not a valid function name/);
  });
});
