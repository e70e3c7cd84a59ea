import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProcessInstance } from "./instance.js";
import { type TestHost, startTestHost } from "./test-support.test-fixture.js";

let host: TestHost;
let instance: ProcessInstance;

beforeAll(async () => {
  host = await startTestHost();
  instance = host.start("misbehaving-plugin.ts", { plugin: "chatty" });
  await instance.ready;
});

afterAll(async () => {
  await host.close();
});

describe("ProcessInstance: the plugin's output in the logger (§2.5)", () => {
  it("logs stdout and stderr lines under the plugin and instance, JSON lines with their level and fields", async () => {
    await instance.call("log", null);
    const tags = { plugin: "chatty", instance: "chatty-1" };
    const line = (msg: string) => host.logger.waitFor((entry) => entry.msg === msg);
    expect(await line("a plain stdout line")).toEqual({ level: "info", msg: "a plain stdout line", fields: { ...tags, stream: "stdout" } });
    expect(await line("a plain stderr line")).toEqual({ level: "warn", msg: "a plain stderr line", fields: { ...tags, stream: "stderr" } });
    expect(await line("a JSON error line")).toEqual({ level: "error", msg: "a JSON error line", fields: { ...tags, code: 42, stream: "stderr" } });
    expect(await line("a pino debug line")).toEqual({ level: "debug", msg: "a pino debug line", fields: { ...tags, step: "two", stream: "stdout" } });
  });

  it("never logs the instance's token (§4.2.4)", async () => {
    const token = await instance.call("token", null);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    await instance.call("log", null);
    await instance.stop(5000);
    const everything = JSON.stringify(host.logger.entries);
    expect(host.logger.entries.length).toBeGreaterThan(5);
    expect(everything).not.toContain(token as string);
  });
});
