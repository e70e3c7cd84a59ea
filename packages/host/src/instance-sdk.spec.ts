import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProcessInstance } from "./instance.js";
import { type TestHost, startTestHost } from "./test-support.test-fixture.js";

let host: TestHost;
let instance: ProcessInstance;

beforeAll(async () => {
  host = await startTestHost();
  instance = host.start("sdk-plugin.ts", { plugin: "math", settings: { rate: 0.2, name: "eur" } });
  await instance.ready;
});

afterAll(async () => {
  await host.close();
});

describe("ProcessInstance with a plugin written with @polyproc/sdk", () => {
  it("learns the functions and the concurrency limit from the Hello (§4.1, §5.6)", () => {
    expect(instance.functions.find((fn) => fn.name === "add")).toMatchObject({ name: "add", description: "a + b", idempotent: true });
    expect(instance.maxConcurrency).toBe(4);
  });

  it("welcomes a plugin that declares a streaming function: the host offers the streaming capability (§16.2)", () => {
    expect(instance.functions.find((fn) => fn.name === "count")).toMatchObject({ streaming: true });
  });

  it("calls functions, passes the settings, and passes on the plugin's errors with their origin", async () => {
    await expect(instance.call("add", { a: 2, b: 3 })).resolves.toBe(5);
    await expect(instance.call("settings", null)).resolves.toEqual({ rate: 0.2, name: "eur" });
    await expect(instance.call("fail", null)).rejects.toMatchObject({
      code: "OUT_OF_RANGE",
      message: "fail always fails",
      remote: true,
      originPlugin: "math",
      originInstance: instance.id,
    });
  });

  it("cancels the handler when the deadline passes; its log line keeps its level and fields", async () => {
    await expect(instance.call("slow", { ms: 60_000 }, { deadline: performance.now() + 100 })).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    const seen = await host.logger.waitFor((entry) => entry.msg === "cancel seen");
    expect(seen).toMatchObject({ level: "info", fields: { plugin: "math", instance: instance.id, reason: expect.stringContaining("deadline") } });
  });

  it("stops cleanly with a call in flight: the call completes, the plugin exits 0", async () => {
    const call = instance.call("slow", { ms: 200 });
    const info = await instance.stop(10_000);
    await expect(call).resolves.toBe("done");
    expect(info).toMatchObject({ exitCode: 0, clean: true, reason: "stopped" });
    expect(instance.state).toBe("stopped");
  });
});
