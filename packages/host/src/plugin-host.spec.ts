import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { FrameDecoder } from "@polyproc/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { nextEvent } from "./fake-instance.test-fixture.js";
import type { ExitEvent } from "./host-events.js";
import type { PluginConfig } from "./plugin-options.js";
import { PluginHost } from "./plugin-host.js";
import { fixtureCommand, failureOf as failure } from "./test-support.test-fixture.js";

const command = fixtureCommand("pool-plugin.ts");
let host: PluginHost | undefined;

async function start(plugin: Partial<PluginConfig> = {}): Promise<PluginHost> {
  host = await PluginHost.start({ plugins: [{ name: "pool", command, ...plugin }] });
  return host;
}

afterEach(async () => {
  await host?.close({ graceMs: 0 });
  host = undefined;
});


describe("PluginHost with real plugin processes", () => {
  it("shows its wireTap the bytes of every connection, which decode to the frames exchanged", async () => {
    const frames: string[] = [];
    const decoders = new Map<string, FrameDecoder>();
    host = await PluginHost.start({
      plugins: [{ name: "pool", command, heartbeat: { intervalMs: 0 } }],
      wireTap: (connection, direction, bytes) => {
        const key = `${connection} ${direction}`;
        if (!decoders.has(key)) decoders.set(key, new FrameDecoder());
        for (const frame of decoders.get(key)!.push(new Uint8Array(bytes))) frames.push(`${key} ${frame.kind.case}`);
      },
    });
    expect(await host.call("pool", "pid")).toBeTypeOf("number");
    expect(frames).toEqual(["1 in hello", "1 out welcome", "1 out call", "1 in result"]);
  });

  it("refuses a wireTap that is not a function", async () => {
    const error = await PluginHost.start({ plugins: [{ name: "pool", command }], wireTap: "yes" as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain("options.wireTap must be a function");
  });

  it("restarts a crashed instance after a backoff delay; calls made meanwhile wait and run on the new process", async () => {
    const started = await start({ restart: { baseMs: 100, maxMs: 1_000 } });
    const firstPid = await started.call("pool", "pid");
    const restarted = nextEvent(started, "restart");
    const error = await failure(started.call("pool", "crash"));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toContain("code 3");
    expect(error.message).toContain("crashing on request");
    const event = await restarted;
    expect(event).toMatchObject({ plugin: "pool", slot: 0, attempt: 1 });
    expect(event.delayMs).toBeGreaterThanOrEqual(0);
    expect(event.delayMs).toBeLessThan(100);
    const secondPid = await started.call("pool", "pid");
    expect(typeof secondPid).toBe("number");
    expect(secondPid).not.toBe(firstPid);
    expect(started.stats().plugins["pool"]).toMatchObject({ state: "running", restarts: 1, errors: { UNAVAILABLE: 1 } });
  });

  it("marks a crash-looping plugin failed, fails calls fast with the stderr tail, and recovers with host.restart", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pool-crash-"));
    const crashSwitch = join(directory, "switch");
    try {
      const started = await start({ env: { POOL_CRASH_SWITCH: crashSwitch }, restart: { baseMs: 10, maxMs: 20, maxRestarts: 2, windowMs: 60_000 } });
      writeFileSync(crashSwitch, "on");
      const failed = nextEvent(started, "failed");
      await failure(started.call("pool", "crash"));
      const { reason } = await failed;
      expect(reason).toContain("3 exits within 60000 ms");
      expect(reason).toContain("exited with code 5");
      expect(reason).toContain("crash switch");
      const error = await failure(started.call("pool", "pid"));
      expect(error.code).toBe("FAILED_PRECONDITION");
      expect(error.message).toContain("crash switch");
      rmSync(crashSwitch);
      await started.restart("pool");
      expect(typeof (await started.call("pool", "pid"))).toBe("number");
      expect(started.stats().plugins["pool"]!.state).toBe("running");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("retries a call to an idempotent function once on the other instance when its instance dies under it", async () => {
    const started = await start({ instances: 2, restart: { baseMs: 5_000, maxMs: 5_000 } });
    const holding = started.call("pool", "hold", { ms: 30_000 }).catch(() => {});
    const busy = started.stats().plugins["pool"]!.instances.find((instance) => instance.inFlight === 1)!;
    const exit = nextEvent(started, "exit");
    // The call goes to the idle instance (fewest in flight), which dies; the retry reaches the busy one.
    expect(await started.call("pool", "crashUnless", { survivor: busy.pid! })).toBe(busy.pid);
    expect(await exit).toMatchObject({ exitCode: 3, clean: false });
    expect((await exit).instance).not.toBe(busy.id);
    await started.close({ graceMs: 0 });
    await holding;
  });

  it("queues calls beyond maxConcurrency and fails them with RESOURCE_EXHAUSTED when the queue is full", async () => {
    const started = await start({ maxConcurrency: 1, queue: { size: 1, timeoutMs: 10_000 } });
    const first = started.call("pool", "hold", { ms: 300 });
    const second = started.call("pool", "hold", { ms: 1 });
    const error = await failure(started.call("pool", "pid"));
    expect(error.code).toBe("RESOURCE_EXHAUSTED");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("the queue is full (queue.size 1)");
    expect(started.stats().plugins["pool"]).toMatchObject({ inFlight: 1, queued: 1 });
    const [pid, samePid] = await Promise.all([first, second]);
    expect(samePid).toBe(pid);
  });

  it("closes gracefully: calls in flight complete, then every instance says Goodbye and exits 0", async () => {
    const started = await start({ instances: 2 });
    const exits: ExitEvent[] = [];
    started.on("exit", (event) => exits.push(event));
    const calls = [1, 2, 3].map(() => started.call("pool", "hold", { ms: 300 }));
    await started.close({ graceMs: 10_000 });
    const pids = await Promise.all(calls);
    expect(pids.every((pid) => typeof pid === "number")).toBe(true);
    expect(exits.map((event) => ({ exitCode: event.exitCode, clean: event.clean }))).toEqual([
      { exitCode: 0, clean: true },
      { exitCode: 0, clean: true },
    ]);
    expect((await failure(started.call("pool", "pid"))).code).toBe("UNAVAILABLE");
  });
});

describe("no orphans (PROTOCOL.md §14.2)", () => {
  it("leaves no plugin process alive 2 s after the host process is killed with SIGKILL", async () => {
    const script = fileURLToPath(new URL("../test-fixtures/pool-host.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=@polyproc/source", "--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
    let plugins: number[] = [];
    try {
      const report = JSON.parse(await firstLine(child)) as { host: number; plugins: number[] };
      plugins = report.plugins;
      expect(plugins).toHaveLength(2);
      expect(plugins.every(isAlive)).toBe(true);
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await gone;
      const deadline = performance.now() + 2_000;
      while (plugins.some(isAlive) && performance.now() < deadline) await delay(20);
      expect(plugins.filter(isAlive)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
      for (const pid of plugins.filter(isAlive)) process.kill(pid, "SIGKILL");
    }
  });
});

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      lines.close();
      resolve(line);
    });
    child.once("exit", (code, signal) => reject(new Error(`the host process ended before printing its plugins' pids (${code ?? signal})`)));
  });
}

/** isAlive tells whether a process exists and is not a zombie waiting to be reaped. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== "linux") return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
