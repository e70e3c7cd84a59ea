import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProcessInstance } from "./instance.js";
import { type TestHost, startTestHost } from "./test-support.test-fixture.js";

let host: TestHost;
let instance: ProcessInstance;

beforeAll(async () => {
  host = await startTestHost();
  instance = host.start("misbehaving-plugin.ts");
  await instance.ready;
});

afterAll(async () => {
  await host.close();
});

describe("ProcessInstance: deadlines and cancellation (§6, §7)", () => {
  it("fails a call whose deadline passes with DEADLINE_EXCEEDED and sends Cancel(deadline), which the plugin sees", async () => {
    const call = instance.call("slow", { ms: 60_000 }, { deadline: performance.now() + 100 });
    await expect(call).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED", remote: false });
    const seen = await host.logger.waitFor((entry) => entry.msg === "cancel seen" && entry.fields["reason"] === "deadline");
    expect(seen.fields).toMatchObject({ plugin: "fixture", instance: instance.id });
  });

  it("fails a call whose signal aborts with CANCELLED and sends Cancel(cancelled by caller)", async () => {
    const controller = new AbortController();
    const call = instance.call("slow", { ms: 60_000 }, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: "CANCELLED", remote: false });
    await host.logger.waitFor((entry) => entry.msg === "cancel seen" && entry.fields["reason"] === "cancelled by caller");
  });

  it("does not send a call whose deadline has already passed", async () => {
    await expect(instance.call("add", { a: 1, b: 2 }, { deadline: performance.now() - 1 })).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
  });

  it("passes on the plugin's own errors as remote errors", async () => {
    await expect(instance.call("no-such-function", null)).rejects.toMatchObject({ code: "NOT_FOUND", remote: true });
  });

  it("answers a call that finishes before its deadline", async () => {
    await expect(instance.call("slow", { ms: 1 }, { deadline: performance.now() + 30_000 })).resolves.toBe("done");
  });
});
