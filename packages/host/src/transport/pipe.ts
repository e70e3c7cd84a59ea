import { randomBytes } from "node:crypto";
import type { ConnectionHandler, Listener } from "./listener.js";
import { closeServer, listenServer } from "./listen-server.js";

/** PipeListenOptions configures listenPipe. */
export interface PipeListenOptions {
  /** Receives errors of the server after it listens. Default: ignored. */
  onError?: (error: Error) => void;
}

/**
 * pipeName returns a new Windows named pipe path, `\\.\pipe\polyproc-` followed by 128
 * random bits in lowercase hex (§2.2.1).
 */
export function pipeName(): string {
  return `\\\\.\\pipe\\polyproc-${randomBytes(16).toString("hex")}`;
}

/**
 * listenPipe listens on a new named pipe (Windows, §2.2). Node's server creates a pipe
 * instance for every client it accepts (§2.2.4) under the default security descriptor,
 * which lets only the creator, SYSTEM and Administrators open it for writing (§2.2.3).
 */
export async function listenPipe(onConnection: ConnectionHandler, options: PipeListenOptions = {}): Promise<Listener> {
  const name = pipeName();
  const server = await listenServer(name, onConnection, options.onError ?? (() => {}));
  return {
    address: `pipe:${name}`,
    close: () => {
      closeServer(server);
      return Promise.resolve();
    },
  };
}
