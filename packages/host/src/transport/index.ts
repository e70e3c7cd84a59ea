import type { ConnectionHandler, Listener } from "./listener.js";
import { listenPipe } from "./pipe.js";
import { listenUnix } from "./unix.js";

export type { ConnectionHandler, Listener } from "./listener.js";

/** ListenOptions configures listen. */
export interface ListenOptions {
  /**
   * Unix only: the directory in which the socket's directory is created. Default
   * os.tmpdir(), or /tmp when the socket path would be too long there.
   */
  directory?: string;
  /** Receives errors of the server after it listens. Default: ignored. */
  onError?: (error: Error) => void;
}

/**
 * listen starts the host's transport for this platform (§2): a named pipe on Windows, a Unix
 * domain socket in a private directory elsewhere. Each accepted connection goes to
 * `onConnection`.
 */
export function listen(onConnection: ConnectionHandler, options: ListenOptions = {}): Promise<Listener> {
  if (process.platform === "win32") return listenPipe(onConnection, options);
  return listenUnix(onConnection, options);
}
