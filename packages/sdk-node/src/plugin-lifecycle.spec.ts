// Process tests of a plugin's life: started by hand, rejected, shut down, cut off, crashed
// (PROTOCOL.md §2.4, §4.4.5, §13, §14).

import { describe, expect, it } from "vitest";
import { FakeHost, fixturePath, runPlugin } from "../test-fixtures/fake-host.js";

const fixture = fixturePath("fixture-plugin.ts");

describe("a plugin's life", () => {
  it("run by hand, prints how to run it under a host and exits with 2 (§2.4.2)", async () => {
    const run = runPlugin(fixture, {});
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain("fixture is a polyproc plugin");
    expect(run.stderr()).toContain('import { PluginHost } from "@polyproc/host"');
    expect(run.stderr()).toMatch(/command: \["node", .*"--import", "tsx", ".*fixture-plugin\.ts"\]/);
    expect(run.stderr()).toContain("Functions: gather, echo, env, context, total");
  });

  it("exits with 2 naming a malformed variable (§2.4.3)", async () => {
    const run = runPlugin(fixture, { POLYPROC_ADDRESS: "unix:/tmp/x.sock", POLYPROC_TOKEN: "short" });
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toMatch(/^fixture: POLYPROC_TOKEN is malformed: it must be exactly 64 lowercase hex digits/);
  });

  it("exits with 1 when it cannot connect", async () => {
    const run = runPlugin(fixture, { POLYPROC_ADDRESS: "unix:/nonexistent/host.sock", POLYPROC_TOKEN: "a".repeat(64) });
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(/^fixture: cannot connect to unix:\/nonexistent\/host\.sock: .*ENOENT/);
  });

  it("prints a Reject's code, message and both ranges and exits with 1 (§4.4.5)", async () => {
    const host = await FakeHost.start(fixture, { reject: { code: "UNAUTHENTICATED", message: "wrong token" } });
    expect(await host.exited).toEqual({ code: 1, signal: null });
    expect(host.stderr).toContain("fixture: the host rejected the plugin: UNAUTHENTICATED: wrong token (the plugin speaks protocol 1..1, the host 1..1)");
  });

  it("on Shutdown finishes the calls in flight, says Goodbye and exits with 0 (§13.1)", async () => {
    const host = await FakeHost.start(fixture);
    await host.hello;
    const slow = host.call("sleep", { ms: 150 });
    await host.answer(host.call("echo", 1));
    host.peer.shutdown(10_000, "test over");
    host.flush();
    expect(await host.answer(slow)).toMatchObject({ type: "result", value: 150 });
    expect(await host.next((e) => e.type === "goodbye")).toMatchObject({ reason: expect.stringContaining("test over") });
    expect(await host.exited).toEqual({ code: 0, signal: null });
  });

  it("cancels the calls still running when the grace runs out, then says Goodbye (§13.1.4)", async () => {
    const host = await FakeHost.start(fixture);
    await host.hello;
    const waiting = host.call("waitAbort");
    await host.answer(host.call("echo", 1));
    host.peer.shutdown(50, "hurry");
    host.flush();
    expect(await host.answer(waiting)).toMatchObject({ type: "result", value: { aborted: true, reason: "CANCELLED: the call was cancelled: shutdown" } });
    await host.next((e) => e.type === "goodbye");
    expect(await host.exited).toEqual({ code: 0, signal: null });
  });

  it("exits with 1 at once when the connection drops, without waiting for handlers (§14.2)", async () => {
    const host = await FakeHost.start(fixture);
    await host.hello;
    host.call("hang");
    await host.answer(host.call("echo", 1));
    const dropped = performance.now();
    host.socket!.destroy();
    expect(await host.exited).toEqual({ code: 1, signal: null });
    expect(performance.now() - dropped).toBeLessThan(1000);
    expect(host.stderr).toContain("fixture: the connection to the host was lost");
  });

  it("exits with 1, naming the rule, when the host breaks the protocol (§15)", async () => {
    const host = await FakeHost.start(fixture);
    await host.hello;
    await host.answer(host.call("echo", 1));
    host.socket!.write(Uint8Array.of(0, 0, 0, 2, 0xff, 0xff));
    expect(await host.exited).toEqual({ code: 1, signal: null });
    expect(host.stderr).toMatch(/^fixture: the host broke the protocol, so the plugin closed the connection: MALFORMED_FRAME: .*; exiting$/m);
  });

  it("exits with 1 when the host says Goodbye (§13.2.5)", async () => {
    const host = await FakeHost.start(fixture);
    await host.hello;
    await host.answer(host.call("echo", 1));
    host.peer.goodbye("grace expired");
    host.flush();
    expect(await host.exited).toEqual({ code: 1, signal: null });
    expect(host.stderr).toContain("grace expired");
  });

  it("still crashes, with its stack, on an exception thrown outside any handler", async () => {
    const host = await FakeHost.start(fixture);
    await host.hello;
    host.call("explode");
    const exit = await host.exited;
    expect(exit.code).not.toBe(0);
    expect(host.stderr).toContain("Error: thrown from a timer, outside any handler");
  });
});
