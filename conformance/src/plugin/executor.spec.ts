import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { CaseFailure, type ConformanceCase, type SdkEntry } from "../case-types.js";
import { loadCases } from "../load-cases.js";
import { loadSdks } from "../sdk-registry.js";
import { fakeExecutors } from "../test-fixtures.js";
import { pluginExecutor } from "./executor.js";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const node: SdkEntry = loadSdks(join(root, "conformance/sdks.yaml"), root).find((s) => s.name === "node")!;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function pluginCase(steps: Record<string, unknown>[], setup: Record<string, unknown> = {}, timeoutMs = 20_000): ConformanceCase {
  return { id: "plugin-spec/case", suite: "plugin-spec", name: "case", kind: "plugin", section: "4.1", description: "A case.", requires: [], timeoutMs, exclusive: false, setup, steps, file: "spec" };
}

async function run(testCase: ConformanceCase, signal = AbortSignal.timeout(testCase.timeoutMs), onTrace?: (line: string) => void): Promise<{ error: unknown; trace: string[] }> {
  const tmpDir = mkdtempSync(join(tmpdir(), "ppc-spec-"));
  dirs.push(tmpDir);
  const trace: string[] = [];
  const record = (line: string) => {
    trace.push(line);
    onTrace?.(line);
  };
  try {
    await pluginExecutor.run(testCase, { sdk: node, signal, trace: record, tmpDir, root });
    return { error: undefined, trace };
  } catch (error) {
    return { error, trace };
  }
}

describe("pluginExecutor.validate", () => {
  const problems = (steps: Record<string, unknown>[], setup: Record<string, unknown> = {}) => pluginExecutor.validate(pluginCase(steps, setup)).join("\n");

  it("accepts every step of the vocabulary", () => {
    expect(
      problems([
        { expectHello: [{ token: { $var: "token" } }, { functions: { $contains: { name: "echo" } } }] },
        { welcome: { maxFrameBytes: 65536, settings: { a: 1 } } },
        { send: [{ call: { id: 1, function: "echo", args: { $nested: 3 } } }, { ping: { seq: 1 } }] },
        { sendRaw: { hex: "00 00 00 00" } },
        { expectFrame: { result: { id: 1 } } },
        { expectFrame: { frame: { pong: {} }, skip: ["ping"], withinMs: 100 } },
        { expectFrames: { unordered: [{ result: {} }, { pong: {} }], withinMs: 100 } },
        { expectNoFrame: { forMs: 10 } },
        { closeConnection: {} },
        { expectClosed: { withinMs: 100 } },
        { expectExit: { code: { $gte: 1 }, withinMs: 100 } },
        { expectStderr: "text" },
        { expectStdout: { $matches: "^x" } },
        { expectStderr: { pattern: "text", withinMs: 100 } },
      ]),
    ).toBe("");
    expect(problems([{ reject: { code: "UNAUTHENTICATED", message: "no" } }], { env: { POLYPROC_TOKEN: null, X: "1" } })).toBe("");
  });

  it.each([
    [{ expectHelo: {} }, "expectHelo"],
    [{ expectHello: {}, welcome: {} }, "one key"],
    [{ welcome: { maxFrames: 1 } }, "maxFrames"],
    [{ reject: { code: "NOT_A_CODE" } }, "reject"],
    [{ send: { call: { id: 1, fn: "echo" } } }, "fn"],
    [{ send: { nonsense: {} } }, "kind"],
    [{ sendRaw: { hex: "0" } }, "hex"],
    [{ expectFrame: { frame: { result: {} }, within: 5 } }, "within"],
    [{ expectFrame: { resul: {} } }, "frame"],
    [{ expectFrame: { result: { id: { $near: 1 } } } }, "$near"],
    [{ expectFrame: { frame: { pong: {} }, skip: ["pings"] } }, "skip"],
    [{ expectFrames: { unordered: [] } }, "unordered"],
    [{ expectNoFrame: {} }, "forMs"],
    [{ expectClosed: { withinMs: -1 } }, "withinMs"],
    [{ expectExit: { withinMs: 10 } }, "code"],
    [{ expectHello: { pid: { $var: "port" } } }, "$var"],
    [{ expectStderr: { withinMs: 10 } }, "pattern"],
    [{ closeConnection: { now: true } }, "no options"],
  ])("reports %j", (step, fragment) => {
    expect(problems([step as Record<string, unknown>])).toContain(fragment);
  });

  it("reports a malformed setup", () => {
    expect(problems([{ closeConnection: {} }], { env: { A: 1 } })).toContain("setup.env");
    expect(problems([{ closeConnection: {} }], { host: {} })).toContain("unknown key host");
  });

  it("accepts every case of conformance/cases/plugin-*.yaml", () => {
    const all = loadCases(join(root, "conformance/cases"), root, new Map([...fakeExecutors({ validate: () => [], run: async () => undefined }), ["plugin", pluginExecutor]]));
    const plugin = all.filter((c) => c.kind === "plugin");
    expect(plugin.length).toBeGreaterThanOrEqual(15);
    expect(plugin.every((c) => c.suite.startsWith("plugin-"))).toBe(true);
  });
});

describe("pluginExecutor.run against the node conformance plugin", () => {
  it("passes a handshake, a call and a clean shutdown, tracing every frame", async () => {
    const { error, trace } = await run(
      pluginCase([
        { expectHello: { token: { $var: "token" }, pluginName: "conformance", pid: { $var: "pid" } } },
        { welcome: {} },
        { send: { call: { id: 1, function: "add", args: { a: 2, b: 3 } } } },
        { expectFrame: { result: { id: 1, value: 5 } } },
        { send: { shutdown: { graceMs: 5000, reason: "spec" } } },
        { expectFrame: { goodbye: {} } },
        { expectClosed: {} },
        { expectExit: { code: 0 } },
      ]),
    );
    expect(error).toBeUndefined();
    expect(trace).toContainEqual(expect.stringMatching(/^→ .*"call"/));
    expect(trace).toContainEqual(expect.stringMatching(/^← result \{"id":1,"value":5\}/));
  });

  it("fails with a CaseFailure naming what was expected and what came", async () => {
    const { error } = await run(pluginCase([{ welcome: {} }, { send: { call: { id: 1, function: "echo", args: 1 } } }, { expectFrame: { result: { id: 1, value: 2 } } }]));
    expect(error).toBeInstanceOf(CaseFailure);
    expect((error as Error).message).toMatch(/expected a frame like .*"value":2.*got .*"value":1/s);
  });

  it("checks the exit status and stderr of a plugin run without POLYPROC_ADDRESS", async () => {
    const setup = { env: { POLYPROC_ADDRESS: null } };
    expect((await run(pluginCase([{ expectExit: { code: 2 } }, { expectStderr: "POLYPROC_ADDRESS" }], setup))).error).toBeUndefined();
    const { error } = await run(pluginCase([{ expectExit: { code: 0 } }], setup));
    expect(error).toBeInstanceOf(CaseFailure);
    expect((error as Error).message).toContain("exited with code 2");
  });

  it("settles promptly when the case is aborted, and leaves no plugin process behind", async () => {
    const controller = new AbortController();
    let seenPid: (pid: number) => void = () => undefined;
    const pid = new Promise<number>((resolvePid) => (seenPid = resolvePid));
    const steps = [{ welcome: {} }, { send: { call: { id: 1, function: "env" } } }, { expectFrame: { result: { id: 1 } } }, { expectFrame: { result: { id: 99 } } }];
    const running = run(pluginCase(steps), controller.signal, (line) => {
      const found = /^← result .*"pid":(\d+)/.exec(line); // the env function answers the plugin's pid
      if (found) seenPid(Number(found[1]));
    });
    const pluginPid = await pid;
    controller.abort(new Error("stop"));
    const { error } = await running;
    expect((error as Error).message).toContain("stopped");
    expect(() => process.kill(pluginPid, 0)).toThrow();
  });
});
