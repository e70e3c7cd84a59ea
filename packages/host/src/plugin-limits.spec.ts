import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginHost } from "./plugin-host.js";
import { failureOf, fixtureCommand } from "./test-support.test-fixture.js";

const command = fixtureCommand("two-way-plugin.ts");

describe("limits on a plugin's calls to the host (PROTOCOL.md §5.6)", () => {
  let host: PluginHost;

  beforeAll(async () => {
    host = await PluginHost.start({
      heartbeat: { intervalMs: 0 },
      plugins: [
        { name: "plain", command },
        { name: "narrow", command, maxCallsInFlight: 2, maxOpenStreams: 1, permissions: { hostFunctions: ["slow", "drip"] } },
      ],
      hostFunctions: {
        slow: { handler: (_args, ctx) => new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve(null))) },
        drip: {
          streaming: true,
          handler: async function* (_args, ctx) {
            await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
            yield null;
          },
        },
      },
    });
  });
  afterAll(() => host.close({ graceMs: 0 }));

  it("announces 1 024 calls and 256 streams by default, and the configured values", async () => {
    await expect(host.call("plain", "welcome")).resolves.toMatchObject({ maxCallsInFlight: 1_024, maxOpenStreams: 256 });
    await expect(host.call("narrow", "welcome")).resolves.toMatchObject({ maxCallsInFlight: 2, maxOpenStreams: 1 });
  });

  it("answers RESOURCE_EXHAUSTED to a plugin that opens more calls or streams than announced (§5.6.3, §5.6.4)", async () => {
    await host.call("narrow", "unlimit");
    // Each of these holds one call of "narrow" toward the host until cancelled.
    const stream = host.call("narrow", "routeStream", { target: "", fn: "drip", window: 1, timeoutMs: 300 });
    const extraStream = await host.call("narrow", "routeStream", { target: "", fn: "drip", window: 1 });
    expect(extraStream).toEqual({ items: [], error: "RESOURCE_EXHAUSTED" });
    const call = failureOf(host.call("narrow", "hostCall", { fn: "slow", cancelAfterMs: 300 }));
    const extraCall = await failureOf(host.call("narrow", "hostCall", { fn: "slow" }));
    expect([extraCall.code, extraCall.retryable]).toEqual(["RESOURCE_EXHAUSTED", true]);
    expect((await call).code).toBe("CANCELLED");
    await expect(stream).resolves.toMatchObject({ error: "DEADLINE_EXCEEDED" });
  });

  it("checks the limits in the options", async () => {
    await expect(PluginHost.start({ plugins: [{ name: "x", command, maxCallsInFlight: -1 }] })).rejects.toThrow(/maxCallsInFlight must be an integer from 0/);
    await expect(PluginHost.start({ plugins: [], maxOpenStreams: 1.5 })).rejects.toThrow(/maxOpenStreams must be an integer from 0/);
  });
});
