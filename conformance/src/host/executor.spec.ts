import { describe, expect, it } from "vitest";
import type { ConformanceCase } from "../case-types.js";
import { hostExecutor } from "./executor.js";
import { loadHostCases, runHostCase } from "./host-cases.js";

function hostCase(steps: Record<string, unknown>[], setup: Record<string, unknown> = {}, timeoutMs = 10_000): ConformanceCase {
  return { id: "host-test/case", suite: "host-test", name: "case", kind: "host", section: "4", description: "a test case", requires: [], timeoutMs, exclusive: false, setup, steps, file: "test" };
}

const problems = (steps: Record<string, unknown>[], setup?: Record<string, unknown>) => hostExecutor.validate(hostCase(steps, setup));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("hostExecutor.validate", () => {
  it("accepts a well-formed case", () => {
    expect(
      problems(
        [
          { handshake: { maxConcurrency: 2, functions: ["echo", { name: "tail", streaming: true }] } },
          { hostCall: { fn: "echo", args: { a: 1 }, timeoutMs: 500, as: "c" } },
          { expectFrame: { call: { function: "echo" } }, as: "c", skip: ["ping"] },
          { send: { result: { id: { $idOf: "c" }, value: { $nested: 3 } } }, repeat: 2 },
          { sendRaw: [{ header: 5 }, { hex: "00 01" }] },
          { awaitCall: { call: "c", expect: { error: { code: "UNAVAILABLE" } }, settlesWithinMs: 1000 } },
          { expectNoFrame: { forMs: 100, allowClose: true } },
          { expectEvent: { event: "exit", match: { clean: false } } },
          { expectLog: { level: "warn", contains: "token" } },
          { exitCodeOnClose: 0 },
          { close: { exitCode: 3 } },
        ],
        { host: { heartbeat: { intervalMs: 100 }, startupTimeoutMs: 500 } },
      ),
    ).toEqual([]);
  });

  it("names unknown steps, steps with two names and unknown keys", () => {
    expect(problems([{ sleep: 100 }])).toEqual([expect.stringMatching(/^steps\[0\]: a step has exactly one of handshake, /)]);
    expect(problems([{ hello: {}, send: { ping: {} } }])).toEqual([expect.stringMatching(/^steps\[0\]: a step has exactly one of/)]);
    expect(problems([{ hostCall: { fn: "echo", deadline: 5 } }])).toEqual(["steps[0] (hostCall): hostCall: unknown key deadline; it takes fn, args, timeoutMs, metadata, idempotent, stream, window, as"]);
    expect(problems([{ expectFrame: { pong: {} }, within: 5 }])).toEqual(["steps[0] (expectFrame): unknown key within"]);
    expect(problems([{ hello: { tokn: "x" } }])).toEqual([expect.stringMatching(/hello: unknown key tokn/)]);
    expect(problems([{ hostCall: { fn: "ticks", window: 0 } }])).toEqual([
      "steps[0] (hostCall): hostCall.window must be an integer ≥ 1 (the stream's credit)",
      "steps[0] (hostCall): hostCall.window needs stream: true",
    ]);
  });

  it("reports frames and bytes that cannot be built, and references to ids never recorded", () => {
    expect(problems([{ send: { pingg: { seq: 1 } } }])).toEqual([expect.stringMatching(/^steps\[0\] \(send\): send: a frame must have exactly one key naming its kind/)]);
    expect(problems([{ send: { ping: { seq: "many" } } }])).toEqual([expect.stringMatching(/is not a valid Frame/)]);
    expect(problems([{ sendRaw: { hex: "0" } }])).toEqual([expect.stringMatching(/sendRaw\[0\]: "0" is not an even number of hex digits/)]);
    expect(problems([{ send: { result: { id: { $idOf: "nobody" } } } }])).toEqual([expect.stringMatching(/names no frame: record one first with expectFrame's "as: nobody"/)]);
  });

  it("checks the types of step values and the setup", () => {
    expect(problems([{ expectEvent: { event: "exploded" } }])).toEqual([expect.stringMatching(/expectEvent.event must be one of instance, exit, restart, failed/)]);
    expect(problems([{ expectNoFrame: {} }])).toEqual([expect.stringMatching(/expectNoFrame.forMs must be a positive number/)]);
    expect(problems([{ expectFrame: { ping: {} }, skip: ["noise"] }])).toEqual([expect.stringMatching(/skip must be a list of frame kinds/)]);
    expect(problems([{ autoPong: "no" }])).toEqual([expect.stringMatching(/autoPong takes true or false/)]);
    expect(problems([{ awaitCall: { call: "c", expect: { result: 1 } } }])).toEqual([expect.stringMatching(/awaitCall.expect must be \{value: ...\} or \{error: \{...\}\}/)]);
    expect(problems([{ closeHost: {} }], { hosts: {} })).toEqual([expect.stringMatching(/^setup: unknown key hosts/)]);
    expect(problems([{ closeHost: {} }], { host: { command: ["x"] } })).toEqual([expect.stringMatching(/^setup.host: unknown key command/)]);
    expect(problems([{ closeHost: {} }], { hostFunctions: { f: { value: 1 }, g: { hold: true } }, peers: [{ name: "peer", maxConcurrency: 1 }] })).toEqual([]);
    expect(problems([{ closeHost: {} }], { hostFunctions: { f: { value: 1, echo: true } } })).toEqual([expect.stringMatching(/setup.hostFunctions.f: give exactly one of/)]);
    expect(problems([{ closeHost: {} }], { peers: [{ name: "no spaces" }] })).toEqual([expect.stringMatching(/^setup.peers must be a list/)]);
  });

  it("loads every host suite of conformance/cases without problems", () => {
    const cases = loadHostCases();
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.every((c) => c.id.startsWith("host-"))).toBe(true);
  });
});

describe("hostExecutor.run", () => {
  const cases = new Map(loadHostCases().map((c) => [c.id, c]));

  it.each(["host-calls/result-for-unknown-id", "host-liveness/connection-dropped-call-in-flight"])("passes %s against the host", async (id) => {
    const result = await runHostCase(cases.get(id)!);
    expect(result.message).toBe("");
    expect(result.result).toBe("pass");
    expect(result.trace).toEqual(expect.arrayContaining([expect.stringMatching(/← \{"call":\{"id":1,"function":"echo"/)]));
  });

  it("fails with a CaseFailure that says what was expected and what came", async () => {
    const result = await runHostCase(hostCase([{ handshake: {} }, { send: { ping: { seq: 3 } } }, { expectFrame: { pong: { seq: 4 } } }]));
    expect(result.result).toBe("fail");
    expect(result.message).toMatch(/expected a frame like \{"pong":\{"seq":4\}\}, got \{"pong":\{"seq":3\}\}: frame.pong.seq: expected 4, got 3/);
  });

  it("settles promptly at the case's timeout and leaves no process behind", async () => {
    const started = performance.now();
    const result = await runHostCase(hostCase([{ handshake: {} }, { expectFrame: { call: {} } }], {}, 2500));
    expect(result.result).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(6000);
    const pid = Number(/"pid":(\d+)/.exec(result.trace.find((line) => line.includes("relay 1: {")) ?? "")?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });
});
