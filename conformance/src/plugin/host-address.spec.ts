import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_SOCKET_PATH_BYTES, hostAddress } from "./host-address.js";

describe("hostAddress", () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("names a fresh named pipe on Windows, with 128 random bits in hex", () => {
    const a = hostAddress("C:\\whatever", "win32");
    const b = hostAddress("C:\\whatever", "win32");
    expect(a.listenPath).toMatch(/^\\\\\.\\pipe\\polyproc-conf-[0-9a-f]{32}$/);
    expect(a.address).toBe(`pipe:${a.listenPath}`);
    expect(b.listenPath).not.toBe(a.listenPath);
  });

  it("puts the socket in the case's directory when the path is short enough", () => {
    const dir = mkdtempSync(join(tmpdir(), "ppc-a-"));
    made.push(dir);
    const address = hostAddress(dir, "linux");
    expect(address.listenPath).toBe(join(dir, "host.sock"));
    expect(address.address).toBe(`unix:${join(dir, "host.sock")}`);
  });

  it("falls back to a fresh directory under /tmp for a long directory, and removes it", () => {
    const address = hostAddress(`/tmp/${"d".repeat(120)}`, "linux");
    expect(Buffer.byteLength(address.listenPath)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    expect(address.listenPath.startsWith("/tmp/ppc-")).toBe(true);
    expect(existsSync(dirname(address.listenPath))).toBe(true);
    address.remove();
    expect(existsSync(dirname(address.listenPath))).toBe(false);
  });
});
