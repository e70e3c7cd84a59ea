import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectionHandler, Listener } from "./listener.js";
import { closeServer, listenServer } from "./listen-server.js";

const DIR_PREFIX = "polyproc-";
const SOCKET_NAME = "host.sock";
/** What mkdtemp appends to the prefix: six characters. */
const MKDTEMP_SUFFIX = "XXXXXX";

/** UnixListenOptions configures listenUnix. */
export interface UnixListenOptions {
  /**
   * The directory in which the socket's own directory is created. Default os.tmpdir(), or
   * /tmp when the socket path would be too long there (§2.1.3).
   */
  directory?: string;
  /** Receives errors of the server after it listens. Default: ignored. */
  onError?: (error: Error) => void;
  /** The platform whose path limit applies. Default process.platform. */
  platform?: NodeJS.Platform;
}

/**
 * socketPathLimit is the longest socket path, in UTF-8 bytes, that fits `sun_path` with its
 * terminating NUL (§2.1.3): 107 on Linux (108 bytes), 103 on macOS and the BSDs (104 bytes).
 */
export function socketPathLimit(platform: NodeJS.Platform = process.platform): number {
  return platform === "linux" || platform === "android" ? 107 : 103;
}

/**
 * socketDirectoryBase chooses where to create the socket's directory: the first of the
 * candidates under which the socket path fits the limit. None fitting throws an error that
 * names the path, its length and the limit, and says how to fix it (§2.1.3).
 */
export function socketDirectoryBase(candidates: readonly string[], platform: NodeJS.Platform = process.platform): string {
  const limit = socketPathLimit(platform);
  const pathUnder = (base: string) => join(base, DIR_PREFIX + MKDTEMP_SUFFIX, SOCKET_NAME);
  const fitting = candidates.find((base) => Buffer.byteLength(pathUnder(base)) <= limit);
  if (fitting !== undefined) return fitting;
  const path = pathUnder(candidates[0] ?? tmpdir());
  throw new Error(
    `the host's socket path ${path} would be ${Buffer.byteLength(path)} bytes long, over the limit of ${limit} bytes ` +
      `for a Unix socket on ${platform}; set TMPDIR (or the transport's directory option) to a shorter directory such as /tmp`,
  );
}

/**
 * listenUnix listens on a Unix domain socket in a fresh directory of mode 0700 made by
 * mkdtemp (§2.1): only the host's user can reach it. close() removes the socket and the
 * directory (§2.1.4).
 */
export async function listenUnix(onConnection: ConnectionHandler, options: UnixListenOptions = {}): Promise<Listener> {
  const platform = options.platform ?? process.platform;
  const candidates = options.directory !== undefined ? [options.directory] : [...new Set([tmpdir(), "/tmp"])];
  const base = socketDirectoryBase(candidates, platform);
  const directory = await mkdtemp(join(base, DIR_PREFIX));
  const path = join(directory, SOCKET_NAME);
  try {
    await chmod(directory, 0o700);
    const server = await listenServer(path, onConnection, options.onError ?? (() => {}));
    let closing: Promise<void> | undefined;
    return {
      address: `unix:${path}`,
      close: () => {
        closing ??= (async () => {
          closeServer(server);
          await rm(directory, { recursive: true, force: true });
        })();
        return closing;
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
