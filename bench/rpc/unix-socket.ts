import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** TempSocket is a Unix socket path in a fresh private directory. */
export interface TempSocket {
  path: string;
  /** remove deletes the directory and the socket in it. */
  remove(): void;
}

/** tempSocket makes a fresh 0700 directory under the system's temporary one, for one socket. */
export function tempSocket(name: string): TempSocket {
  const dir = mkdtempSync(join(tmpdir(), "polyproc-bench-"));
  return { path: join(dir, `${name}.sock`), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** connectUnix connects to a Unix socket, with Nagle off (a no-op there, but explicit). */
export function connectUnix(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path, () => {
      socket.off("error", reject);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}
