import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestHost, exited, startTestHost, failureOf } from "./test-support.test-fixture.js";

let host: TestHost;

beforeEach(async () => {
  host = await startTestHost();
});

afterEach(async () => {
  await host.close();
});


describe("ProcessInstance: crashes fail the calls in flight with UNAVAILABLE (§14.1)", () => {
  it("by process.exit: names the exit code and the stderr tail", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const hanging = failureOf(instance.call("hang", null));
    const exiting = failureOf(instance.call("exit", { code: 3 }));
    for (const error of await Promise.all([hanging, exiting])) {
      expect(error.code).toBe("UNAVAILABLE");
      expect(error.retryable).toBe(true);
      expect(error.remote).toBe(false);
      expect(error.originInstance).toBe(instance.id);
      expect(error.message).toMatch(/instance fixture-1 exited with code 3 while the call was in flight/);
      expect(error.message).toMatch(/exiting with code 3 in the middle of a call/);
      expect(error.details).toMatchObject({ exit_code: 3, signal: null, stderr_tail: expect.stringContaining("exiting with code 3") });
    }
    const info = await exited(instance);
    expect(info).toMatchObject({ exitCode: 3, signal: null, reason: "exited", clean: false });
    expect(instance.state).toBe("crashed");
    expect(instance.inFlight).toBe(0);
  });

  it("by an uncaught exception: names the exit code and the exception from stderr", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const error = await failureOf(instance.call("throw", null));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/exited with code 1 while the call was in flight/);
    expect(error.message).toMatch(/boom: an uncaught exception in the throw function/);
  });

  it("by SIGKILL from outside: names the signal", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const call = failureOf(instance.call("hang", null));
    await host.logger.waitFor((entry) => entry.msg.startsWith("hanging: this call is never answered"));
    process.kill(instance.pid!, "SIGKILL");
    const error = await call;
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/was killed by SIGKILL while the call was in flight/);
    expect(error.details).toMatchObject({ exit_code: null, signal: "SIGKILL" });
    expect((await exited(instance)).signal).toBe("SIGKILL");
  });

  it("by the heartbeat: a plugin whose event loop is blocked is killed (§11.4)", async () => {
    const instance = host.start("misbehaving-plugin.ts", { heartbeatIntervalMs: 50, heartbeatMissLimit: 3 });
    await instance.ready;
    const error = await failureOf(instance.call("busy", null));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/was killed by SIGKILL \(heartbeat missed\) while the call was in flight/);
    expect(error.message).toMatch(/busy: blocking the event loop/);
    expect(await exited(instance)).toMatchObject({ reason: "heartbeat missed", signal: "SIGKILL", clean: false });
  });

  it("kill(reason) ends the process at once and fails its calls", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const call = failureOf(instance.call("hang", null));
    instance.kill("the operator asked");
    const error = await call;
    expect(error.message).toMatch(/was killed by SIGKILL \(killed: the operator asked\)/);
    expect(await exited(instance)).toMatchObject({ reason: "killed: the operator asked", signal: "SIGKILL" });
    await expect(instance.call("add", { a: 1, b: 1 })).rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringMatching(/is crashed, not ready/) });
  });

  it("by a protocol violation: the host closes the connection and the calls fail naming the violation (§15)", async () => {
    const instance = host.start("misbehaving-plugin.ts");
    await instance.ready;
    const error = await failureOf(instance.call("violate", null));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/\(protocol violation: EMPTY_FRAME: .*\) while the call was in flight/);
    expect((await exited(instance)).reason).toMatch(/^protocol violation: EMPTY_FRAME/);
  });

  it("by a lost connection: the calls fail within 500 ms, then the still running process is terminated (§14.1, §13.3.2)", async () => {
    const instance = host.start("misbehaving-plugin.ts", { killTimeoutMs: 200 });
    await instance.ready;
    const order: string[] = [];
    instance.on("state", (state) => order.push(state));
    const error = await failureOf(instance.call("disconnect", null).finally(() => order.push("call failed")));
    // The pool stops sending calls at once; the calls wait for the exit status, at most 500 ms.
    expect(order).toEqual(["crashed", "call failed"]);
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/instance fixture-1 lost its connection while the call was in flight/);
    expect(error.message).toMatch(/closing the connection and staying alive/);
    expect(error.details).toMatchObject({ exit_code: null, signal: null });
    expect(await exited(instance)).toMatchObject({ reason: "connection lost", signal: "SIGTERM", clean: false });
  });
});
