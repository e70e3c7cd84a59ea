import type { Socket } from "node:net";

/** ConnectionHandler receives each connection a Listener accepts. */
export type ConnectionHandler = (socket: Socket) => void;

/**
 * Listener is the host's end of a transport (PROTOCOL.md §2): it accepts connections from
 * plugin instances and hands each one to its ConnectionHandler. One Listener serves every
 * instance of a host; the token in each Hello tells them apart.
 */
export interface Listener {
  /** The address instances connect to, as POLYPROC_ADDRESS carries it: `unix:/path` or `pipe:\\.\pipe\name` (§2.4). */
  readonly address: string;
  /**
   * close stops accepting connections and removes what the listener created (the socket and
   * its directory, §2.1.4). Connections already accepted stay open; close them first.
   */
  close(): Promise<void>;
}
