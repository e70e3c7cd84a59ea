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

/** TransportKind names the host's transports (§2.1, §2.2). */
export type TransportKind = "unix" | "pipe";

/** transportFor returns the transport the host uses on `platform`: named pipes on Windows, Unix domain sockets elsewhere (§2). */
export function transportFor(platform: NodeJS.Platform): TransportKind {
  return platform === "win32" ? "pipe" : "unix";
}

/**
 * listen starts the host's transport for this platform (§2): a named pipe on Windows, a Unix
 * domain socket in a private directory elsewhere. Each accepted connection goes to
 * `onConnection`.
 */
export function listen(onConnection: ConnectionHandler, options: ListenOptions = {}): Promise<Listener> {
  if (transportFor(process.platform) === "pipe") return listenPipe(onConnection, options);
  return listenUnix(onConnection, options);
}
