import { addressPath } from "@polyproc/protocol/node";
import { describe, expect, it } from "vitest";
import { transportFor } from "./index.js";
import { pipeName } from "./pipe.js";

describe("transportFor (§2)", () => {
  it("uses named pipes on Windows and Unix domain sockets on Linux and macOS", () => {
    expect(transportFor("win32")).toBe("pipe");
    expect(transportFor("linux")).toBe("unix");
    expect(transportFor("darwin")).toBe("unix");
  });
});

describe("the Windows address the host hands out (§2.2, §2.4)", () => {
  it("is read back by the SDKs' address parser as the pipe the host listens on", () => {
    const name = pipeName();
    expect(addressPath(`pipe:${name}`)).toBe(name);
  });

  it("is unique per host and within Windows' 256-character pipe name limit", () => {
    const names = new Set(Array.from({ length: 100 }, () => pipeName()));
    expect(names.size).toBe(100);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(256);
  });
});
