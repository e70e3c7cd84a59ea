import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { hasExited, signalProcess, spawnPlugin, terminate, whenExited } from "./spawn.js";

const token = "ab".repeat(32);

function start(script: string, extra: string[] = [], env?: Record<string, string | undefined>): ChildProcess {
  return spawnPlugin({ command: [process.execPath, "-e", script, ...extra], env, address: "unix:/tmp/x/host.sock", token, protocol: "1" });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  return chunk.toString().split("\n")[0] ?? "";
}

async function allOutput(child: ChildProcess): Promise<string> {
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  await once(child.stdout!, "end");
  return text;
}

describe("spawnPlugin (§2.4)", () => {
  it("passes the three variables and the extra env, drops inherited POLYPROC_* and runs no shell", async () => {
    process.env["POLYPROC_INHERITED"] = "leak";
    process.env["POLYPROC_DROP_ME_TOO"] = "leak";
    try {
      const child = start(
        "console.log(JSON.stringify({ env: Object.keys(process.env).filter(k => k.startsWith('POLYPROC_')).sort(), address: process.env.POLYPROC_ADDRESS, token: process.env.POLYPROC_TOKEN, protocol: process.env.POLYPROC_PROTOCOL, extra: process.env.EXTRA, home: process.env.HOME, argv: process.argv.slice(1) }))",
        ["$HOME; echo hi", "*"],
        { EXTRA: "yes", HOME: undefined },
      );
      const seen = JSON.parse(await allOutput(child)) as Record<string, unknown>;
      expect(seen).toEqual({
        env: ["POLYPROC_ADDRESS", "POLYPROC_PROTOCOL", "POLYPROC_TOKEN"],
        address: "unix:/tmp/x/host.sock",
        token,
        protocol: "1",
        extra: "yes",
        argv: ["$HOME; echo hi", "*"],
      });
    } finally {
      delete process.env["POLYPROC_INHERITED"];
      delete process.env["POLYPROC_DROP_ME_TOO"];
    }
  });

  it("refuses an empty command", () => {
    expect(() => spawnPlugin({ command: [], address: "unix:/x", token, protocol: "1" })).toThrow(/must name a program/);
  });
});

describe.runIf(process.platform !== "win32")("signalProcess and terminate (§13.3)", () => {
  it("signals the whole process group, so a wrapper's children go too (§13.3.3)", async () => {
    // The grandchild inherits stdout: the pipe ends only when both processes are gone.
    const child = start(
      "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'inherit', 'inherit'] }); console.log('started ' + c.pid); setInterval(() => {}, 1000)",
    );
    expect(await firstLine(child)).toMatch(/^started \d+$/);
    const ended = once(child.stdout!, "end");
    signalProcess(child, "SIGKILL");
    await ended;
    await whenExited(child);
    expect(child.signalCode).toBe("SIGKILL");
  });

  it("terminate sends SIGTERM, and SIGKILL after the kill timeout to a process that ignores it", async () => {
    const polite = start("console.log('ready'); setInterval(() => {}, 1000)");
    const stubborn = start("process.on('SIGTERM', () => console.log('ignored')); console.log('ready'); setInterval(() => {}, 1000)");
    expect(await firstLine(polite)).toBe("ready");
    expect(await firstLine(stubborn)).toBe("ready");
    await Promise.all([terminate(polite, 50), terminate(stubborn, 50)]);
    expect(polite.signalCode).toBe("SIGTERM");
    expect(stubborn.signalCode).toBe("SIGKILL");
    expect(hasExited(polite) && hasExited(stubborn)).toBe(true);
    await terminate(polite, 50);
  });
});
