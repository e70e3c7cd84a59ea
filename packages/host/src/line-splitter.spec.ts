import { describe, expect, it } from "vitest";
import { LineSplitter, MAX_LINE_CHARS } from "./line-splitter.js";

function split(chunks: (string | Uint8Array)[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
  splitter.end();
  return lines;
}

describe("LineSplitter (§2.5.2)", () => {
  it("splits at \\n and removes a trailing \\r", () => {
    expect(split(["one\ntwo\r\nthree\n"])).toEqual(["one", "two", "three"]);
  });

  it("joins lines split across chunks and reports the last line without a newline at the end", () => {
    expect(split(["on", "e\ntw", "o\r", "\nthree"])).toEqual(["one", "two", "three"]);
  });

  it("keeps empty lines", () => {
    expect(split(["a\n\nb\n"])).toEqual(["a", "", "b"]);
  });

  it("decodes UTF-8 split between chunks, and replaces invalid bytes with U+FFFD", () => {
    const euro = new TextEncoder().encode("€\n");
    expect(split([euro.subarray(0, 1), euro.subarray(1)])).toEqual(["€"]);
    expect(split([new Uint8Array([0x61, 0xff, 0x62, 0x0a])])).toEqual(["a\uFFFDb"]);
  });

  it("splits lines longer than 64 KiB", () => {
    const long = "x".repeat(MAX_LINE_CHARS * 2 + 10);
    const lines = split([`${long}\nend\n`]);
    expect(lines.map((line) => line.length)).toEqual([MAX_LINE_CHARS, MAX_LINE_CHARS, 10, 3]);
    const unterminated = split(["y".repeat(MAX_LINE_CHARS + 1)]);
    expect(unterminated.map((line) => line.length)).toEqual([MAX_LINE_CHARS, 1]);
  });
});
