import { existsSync, statSync } from "node:fs";
import { type Socket, createConnection } from "node:net";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { listenUnix, socketDirectoryBase, socketPathLimit } from "./unix.js";

const posix = process.platform !== "win32";

describe.runIf(posix)("listenUnix (§2.1)", () => {
  it("listens in a fresh 0700 directory, hands over connections, and removes the directory on close", async () => {
    const accepted: Socket[] = [];
    let onAccept!: () => void;
    const acceptedOne = new Promise<void>((resolve) => (onAccept = resolve));
    const listener = await listenUnix((socket) => {
      accepted.push(socket);
      onAccept();
    });
    expect(listener.address).toMatch(/^unix:\/.*\/polyproc-[^/]+\/host\.sock$/);
    const path = listener.address.slice("unix:".length);
    const directory = dirname(path);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(statSync(path).isSocket()).toBe(true);

    const client = createConnection(path);
    await acceptedOne;
    expect(accepted).toHaveLength(1);
    client.destroy();
    accepted[0]?.destroy();

    await listener.close();
    expect(existsSync(directory)).toBe(false);
    await listener.close();
  });

  it("uses a fresh directory for every listener", async () => {
    const first = await listenUnix(() => {});
    const second = await listenUnix(() => {});
    expect(dirname(first.address)).not.toBe(dirname(second.address));
    await Promise.all([first.close(), second.close()]);
  });
});

describe("socketPathLimit and socketDirectoryBase (§2.1.3)", () => {
  it("allows 107 bytes on Linux and 103 on macOS and the BSDs", () => {
    expect(socketPathLimit("linux")).toBe(107);
    expect(socketPathLimit("darwin")).toBe(103);
    expect(socketPathLimit("freebsd")).toBe(103);
  });

  it("takes the first candidate under which the path fits, e.g. /tmp after a long TMPDIR", () => {
    const longTmp = `/var/folders/${"x".repeat(80)}/T`;
    expect(socketDirectoryBase([longTmp, "/tmp"], "darwin")).toBe("/tmp");
    expect(socketDirectoryBase(["/tmp"], "linux")).toBe("/tmp");
  });

  it("fails with the path, its length, the limit and the fix when no candidate fits", () => {
    const long = `/${"d".repeat(100)}`;
    expect(() => socketDirectoryBase([long], "darwin")).toThrow(
      new RegExp(`socket path ${long}/polyproc-XXXXXX/host\\.sock would be 127 bytes long, over the limit of 103 bytes .*set TMPDIR`),
    );
    // Multi-byte characters count in UTF-8 bytes: 40 "é" make exactly 107 bytes, 41 one too many.
    expect(socketDirectoryBase([`/${"é".repeat(40)}`], "linux")).toBe(`/${"é".repeat(40)}`);
    expect(() => socketDirectoryBase([`/${"é".repeat(41)}`], "linux")).toThrow(/would be 109 bytes long, over the limit of 107 bytes/);
  });

  it.runIf(posix)("refuses to listen in a directory whose socket path is too long", async () => {
    await expect(listenUnix(() => {}, { directory: `/tmp/${"x".repeat(120)}` })).rejects.toThrow(/over the limit of \d+ bytes/);
  });
});
