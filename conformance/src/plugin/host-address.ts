// Where the fake host listens (PROTOCOL.md §2.1, §2.2): a Unix socket in the case's directory,
// or a named pipe on Windows.

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";

/** MAX_SOCKET_PATH_BYTES is the longest Unix socket path every platform takes (macOS's sun_path less its NUL, §2.1.3). */
export const MAX_SOCKET_PATH_BYTES = 103;

/** HostAddress is a place to listen: the path given to net.Server.listen and the POLYPROC_ADDRESS naming it. */
export interface HostAddress {
  /** The socket path or pipe name to listen on. */
  listenPath: string;
  /** The value of POLYPROC_ADDRESS (`unix:/…` or `pipe:\\.\pipe\…`). */
  address: string;
  /** remove deletes any directory made for the socket. */
  remove(): void;
}

/**
 * hostAddress picks where to listen. On Windows: a fresh named pipe
 * `\\.\pipe\polyproc-conf-<128 random bits>`. Elsewhere: `host.sock` in `directory`, or, when
 * that path would exceed the socket path limit, in a fresh directory under /tmp.
 */
export function hostAddress(directory: string, platform: NodeJS.Platform = process.platform): HostAddress {
  if (platform === "win32") {
    const pipe = `\\\\.\\pipe\\polyproc-conf-${randomBytes(16).toString("hex")}`;
    return { listenPath: pipe, address: `pipe:${pipe}`, remove: () => undefined };
  }
  const inCase = join(directory, "host.sock");
  if (Buffer.byteLength(inCase) <= MAX_SOCKET_PATH_BYTES) return { listenPath: inCase, address: `unix:${inCase}`, remove: () => undefined };
  const short = mkdtempSync("/tmp/ppc-");
  const path = join(short, "host.sock");
  return { listenPath: path, address: `unix:${path}`, remove: () => rmSync(short, { recursive: true, force: true }) };
}
