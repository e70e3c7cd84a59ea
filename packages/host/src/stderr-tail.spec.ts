import { describe, expect, it } from "vitest";
import { STDERR_TAIL_BYTES, STDERR_TAIL_LINES, StderrTail } from "./stderr-tail.js";

describe("StderrTail (§1.4, §2.5.5)", () => {
  it("keeps the last 50 lines", () => {
    const tail = new StderrTail();
    for (let i = 1; i <= 120; i++) tail.add(`line ${i}`);
    const lines = tail.text().split("\n");
    expect(lines).toHaveLength(STDERR_TAIL_LINES);
    expect(lines[0]).toBe("line 71");
    expect(lines.at(-1)).toBe("line 120");
  });

  it("keeps at most 8 KiB, the newest lines first", () => {
    const tail = new StderrTail();
    for (let i = 0; i < 40; i++) tail.add(`${i} ${"é".repeat(500)}`);
    const text = tail.text();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
    expect(text.split("\n").at(-1)?.startsWith("39 ")).toBe(true);
  });

  it("keeps the end of one very long line, cut between characters", () => {
    const tail = new StderrTail();
    tail.add(`start ${"€".repeat(5000)} end`);
    const text = tail.text();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
    expect(text.endsWith(" end")).toBe(true);
    expect(text).not.toContain("\uFFFD");
  });

  it("is empty when nothing was written", () => {
    expect(new StderrTail().text()).toBe("");
  });
});
