import { PluginError } from "@polyproc/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { InstanceState } from "./instance-types.js";
import { type TestHost, exited, fixtureCommand, startTestHost } from "./test-support.test-fixture.js";

let host: TestHost;

beforeEach(async () => {
  host = await startTestHost();
});

afterEach(async () => {
  await host.close();
});

describe("ProcessInstance: spawn and handshake (§2.4, §4)", () => {
  it("spawns the plugin, welcomes its Hello, reports starting -> ready, and calls it", async () => {
    const instance = host.start("misbehaving-plugin.ts", { plugin: "math", maxConcurrency: 100, heartbeatIntervalMs: 100, heartbeatMissLimit: 50 });
    const states: [InstanceState, InstanceState][] = [];
    instance.on("state", (next, previous) => states.push([previous, next]));
    expect(instance.state).toBe("starting");
    expect(instance.id).toBe("math-1");
    expect(instance.pid).toBeGreaterThan(0);
    await instance.ready;
    expect(states).toEqual([["starting", "ready"]]);
    expect(instance.functions.map((fn) => fn.name)).toContain("add");
    expect(instance.maxConcurrency).toBe(8);
    await expect(instance.call("add", { a: 1, b: 2 })).resolves.toBe(3);
    expect(instance.inFlight).toBe(0);
    await vi.waitFor(() => expect(instance.heartbeatRttMs).toBeGreaterThanOrEqual(0));
    await host.logger.waitFor((entry) => entry.msg === "the plugin's Hello gives another name than the configuration" && entry.fields["helloPluginName"] === "misbehaving");
  });

  it("rejects a Hello with a wrong token with UNAUTHENTICATED; the instance never becomes ready", async () => {
    const instance = host.start("wrong-token-plugin.ts", { startupTimeoutMs: 30_000 });
    const failure = await instance.ready.catch((error: unknown) => error);
    expect(PluginError.is(failure, "UNAVAILABLE")).toBe(true);
    expect((failure as PluginError).message).toMatch(/exited with code 1 before completing its handshake/);
    expect((failure as PluginError).message).toMatch(/rejected this plugin: UNAUTHENTICATED/);
    const info = await exited(instance);
    expect(info).toMatchObject({ exitCode: 1, clean: false, reason: "exited" });
    expect(instance.state).toBe("crashed");
    await host.logger.waitFor((entry) => entry.msg === "rejected a connection whose Hello presented a wrong or void token");
  });

  it("rejects a Hello without a common protocol version with FAILED_PRECONDITION naming both ranges (§4.3.3)", async () => {
    const instance = host.start("wrong-version-plugin.ts");
    const failure = await instance.ready.catch((error: unknown) => error);
    expect(PluginError.is(failure, "FAILED_PRECONDITION")).toBe(true);
    expect((failure as PluginError).message).toMatch(/was rejected: no common protocol version: the plugin speaks protocol 2\.\.3, the host 1\.\.1/);
    const info = await exited(instance);
    expect(info.reason).toMatch(/^rejected: no common protocol version/);
    expect(info.clean).toBe(false);
  });

  it("gives up an instance that is not welcomed within the startup timeout, with its stderr tail (§4.5.2)", async () => {
    const instance = host.start("silent-plugin.ts", { startupTimeoutMs: 1500 });
    const failure = await instance.ready.catch((error: unknown) => error);
    expect(PluginError.is(failure, "UNAVAILABLE")).toBe(true);
    expect((failure as PluginError).message).toMatch(/did not complete its handshake within 1500 ms of being started \(startup timeout\)/);
    expect((failure as PluginError).message).toMatch(/started, and going to say nothing/);
    const info = await exited(instance);
    expect(info).toMatchObject({ reason: "startup timeout", signal: "SIGKILL", clean: false });
    expect(info.stderrTail).toContain("started, and going to say nothing");
  });
});

describe("ProcessInstance: a command that cannot start", () => {
  it("fails ready with the spawn error and ends crashed", async () => {
    const instance = host.start("misbehaving-plugin.ts", { command: ["/nonexistent/polyproc-plugin"] });
    const failure = await instance.ready.catch((error: unknown) => error);
    expect(PluginError.is(failure, "UNAVAILABLE")).toBe(true);
    expect((failure as PluginError).message).toMatch(/ended \(spawn failed: spawn \/nonexistent\/polyproc-plugin ENOENT; check the plugin's command and cwd\) before completing its handshake/);
    expect(await exited(instance)).toMatchObject({ exitCode: null, signal: null, clean: false });
    expect(instance.state).toBe("crashed");
  });
});

describe("ConnectionRouter: handshake timeout (§4.5.1)", () => {
  it("closes a connection that sends no Hello in time; the plugin then exits", async () => {
    const quick = await startTestHost({ handshakeTimeoutMs: 200 });
    try {
      const instance = quick.start("silent-plugin.ts", { startupTimeoutMs: 30_000 });
      const failure = await instance.ready.catch((error: unknown) => error);
      expect((failure as PluginError).message).toMatch(/exited with code 1 before completing its handshake/);
      expect((failure as PluginError).message).toMatch(/connection to the host closed/);
      await quick.logger.waitFor((entry) => entry.msg === "closed a connection that sent no Hello within the handshake timeout");
    } finally {
      await quick.close();
    }
  });
});

describe("ConnectionRouter: bytes behind the Hello (§4.4 rule 3, §15 #7)", () => {
  it("closes the connection without an answer and gives the instance up, naming the violation", async () => {
    const instance = host.start("hasty-hello-plugin.ts", { startupTimeoutMs: 30_000 });
    const failure = await instance.ready.catch((error: unknown) => error);
    expect(PluginError.is(failure, "UNAVAILABLE")).toBe(true);
    expect((failure as PluginError).message).toMatch(/PROTOCOL_VIOLATION/);
    const info = await exited(instance);
    expect(info.reason).toMatch(/^protocol violation: .*after its Hello/);
    expect(info.stderrTail).not.toContain("the host answered");
    await host.logger.waitFor((entry) => entry.msg === "closed a connection that broke the protocol during its handshake" && /after its Hello/.test(String(entry.fields["reason"])));
  });

  it("does the same when that Hello's token is wrong, without a Reject", async () => {
    const instance = host.start("hasty-hello-plugin.ts", { startupTimeoutMs: 30_000, command: [...fixtureCommand("hasty-hello-plugin.ts"), "wrong-token"] });
    const failure = await instance.ready.catch((error: unknown) => error);
    expect((failure as PluginError).message).toMatch(/exited with code 1 before completing its handshake/);
    expect((await exited(instance)).stderrTail).not.toContain("the host answered");
    await host.logger.waitFor((entry) => entry.msg === "closed a connection that broke the protocol during its handshake" && /after its Hello/.test(String(entry.fields["reason"])));
  });
});
