import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { readProcessOutput } from "./process-output.js";
import { recordingLogger } from "./test-support.test-fixture.js";

describe("readProcessOutput (§2.5)", () => {
  it("logs stdout and stderr line by line under the logger's fields, JSON lines with their level, and keeps the stderr tail", async () => {
    const script = [
      "process.stdout.write('plain out\\n')",
      "process.stderr.write('plain err\\r\\n')",
      "process.stderr.write(JSON.stringify({ level: 'error', msg: 'json err', code: 7 }) + '\\n')",
      "process.stdout.write(JSON.stringify({ level: 20, message: 'pino debug' }) + '\\n')",
      "process.stderr.write('last words without a newline')",
    ].join(";");
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    const logger = recordingLogger();
    const output = readProcessOutput(child.stdout, child.stderr, logger.child({ plugin: "p", instance: "p-1" }));
    await output.ended;
    const byMessage = Object.fromEntries(logger.entries.map((entry) => [entry.msg, entry]));
    expect(byMessage["plain out"]).toEqual({ level: "info", msg: "plain out", fields: { plugin: "p", instance: "p-1", stream: "stdout" } });
    expect(byMessage["plain err"]).toEqual({ level: "warn", msg: "plain err", fields: { plugin: "p", instance: "p-1", stream: "stderr" } });
    expect(byMessage["json err"]).toEqual({ level: "error", msg: "json err", fields: { plugin: "p", instance: "p-1", code: 7, stream: "stderr" } });
    expect(byMessage["pino debug"]?.level).toBe("debug");
    expect(byMessage["last words without a newline"]?.level).toBe("warn");
    expect(output.stderrTail.text().split("\n")).toEqual(["plain err", JSON.stringify({ level: "error", msg: "json err", code: 7 }), "last words without a newline"]);
  });

  it("keeps reading a plugin that writes more than a pipe holds", async () => {
    const child = spawn(process.execPath, ["-e", "for (let i = 0; i < 20000; i++) process.stderr.write('line ' + i + ' ' + 'x'.repeat(50) + '\\n')"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const logger = recordingLogger();
    const output = readProcessOutput(child.stdout, child.stderr, logger);
    await output.ended;
    expect(logger.entries).toHaveLength(20000);
    expect(output.stderrTail.text().split("\n")).toHaveLength(50);
  });
});
