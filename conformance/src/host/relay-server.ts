// The control socket the relay processes connect to: a Unix socket in the case's directory,
// or a named pipe on Windows. Each accepted connection is one relay (one plugin instance the
// host started), in the order the host started them.

import { randomBytes } from "node:crypto";
import { type Server, createServer } from "node:net";
import { join } from "node:path";
import { Inbox } from "./inbox.js";
import { RelayLink } from "./relay-link.js";

/** RelayServer accepts the relays of one case. */
export class RelayServer {
  /** The relays accepted and not yet taken by `next`, in order. */
  private readonly waiting = new Inbox<RelayLink>();
  private readonly links: RelayLink[] = [];

  private constructor(
    readonly path: string,
    private readonly server: Server,
  ) {}

  /** RelayServer.listen opens the control socket: `relay.sock` in `directory`, a named pipe on Windows. */
  static async listen(directory: string, trace: (line: string) => void): Promise<RelayServer> {
    const path = process.platform === "win32" ? `\\\\.\\pipe\\polyproc-conformance-${randomBytes(16).toString("hex")}` : join(directory, "relay.sock");
    const server = createServer();
    const relays = new RelayServer(path, server);
    server.on("connection", (socket) => {
      const link = new RelayLink(relays.links.length + 1, socket, trace);
      relays.links.push(link);
      relays.waiting.push(link);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return relays;
  }

  /** next waits for the next relay to connect and returns it, its report received. */
  async next(signal: AbortSignal): Promise<RelayLink> {
    const link = await this.waiting.shift(signal);
    await raceSignal(link.report, signal);
    return link;
  }

  /** all lists every relay accepted so far. */
  all(): readonly RelayLink[] {
    return this.links;
  }

  /** close ends every relay process (by dropping its control connection) and stops listening. */
  async close(): Promise<void> {
    for (const link of this.links) link.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** raceSignal resolves with `promise` or rejects when `signal` aborts first. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error as Error);
      },
    );
  });
}
