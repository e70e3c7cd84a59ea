import type { Socket } from "node:net";
import {
  type Capability,
  checkHello,
  type HelloEvent,
  Peer,
  type PeerEvent,
  PluginError,
  PROTOCOL_VERSION,
} from "@polyproc/protocol";
import { PeerConnection } from "@polyproc/protocol/node";
import type { Logger } from "./logger.js";
import { TokenTable } from "./token.js";

/** HandshakeTerms are what the host and a plugin agreed in the handshake (§4.3, §16.2). */
export interface HandshakeTerms {
  protocol: number;
  capabilities: Capability[];
}

/** HandshakeAwaiter is an instance waiting for its connection: the router calls it once. */
export interface HandshakeAwaiter {
  /**
   * welcome receives a connection whose Hello presented the awaiter's token and passed every
   * check. It must answer at once with connection.peer.welcome() (§4.5.3), and returns the
   * handler of the connection's further events.
   */
  welcome(connection: PeerConnection, hello: HelloEvent, terms: HandshakeTerms): (event: PeerEvent) => void;
  /** rejected: a Hello presented the awaiter's token but failed checks 2-4 of §4.4, and got Reject. */
  rejected(error: PluginError): void;
  /**
   * broken: a Hello presented the awaiter's token, but the plugin sent more behind it before
   * the host could answer (§4.4 rule 3, §15 #7), so the connection was closed without an answer.
   */
  broken(reason: string): void;
}

/** ConnectionRouterOptions configures a ConnectionRouter. */
export interface ConnectionRouterOptions {
  /** Where handshake failures are logged. */
  logger: Logger;
  /** Time from accepting a connection to its complete Hello (§4.5.1). Default 10 000 ms. */
  handshakeTimeoutMs?: number;
  /** The protocol versions the host speaks. Default PROTOCOL_VERSION..PROTOCOL_VERSION. */
  minProtocol?: number;
  maxProtocol?: number;
  /**
   * The capabilities the host offers (§16.2). Default ["streaming", "host-calls",
   * "plugin-calls", "pubsub"]: plugins may declare streaming functions, which PluginHost.stream reads,
   * call host functions and call other plugins through the host (§5.4), publish and subscribe (§12).
   */
  capabilities?: Capability[];
  /** A debugging aid: every connection's raw bytes (PluginHostOptions.wireTap). */
  wireTap?: HostWireTap;
}

/**
 * HostWireTap receives the raw bytes of every plugin connection, read ("in") and written
 * ("out"); `connection` numbers the connections from 1 in the order they were accepted.
 */
export type HostWireTap = (connection: number, direction: "in" | "out", bytes: Uint8Array) => void;

/**
 * ConnectionRouter takes every connection the host's Listener accepts, reads its Hello and
 * hands it to the instance whose token it presents (§4): pass `router.accept` to listen().
 * Instances register their token with expect() before they spawn. A wrong or void token gets
 * Reject UNAUTHENTICATED (§4.2.3); a bad Hello gets Reject INVALID_ARGUMENT or
 * FAILED_PRECONDITION (§4.4); a connection silent for the handshake timeout is closed (§4.5.1).
 */
export class ConnectionRouter {
  /** The host's versions as POLYPROC_PROTOCOL writes them: `1` or `1-2` (§2.4). */
  readonly protocolRange: string;
  private readonly tokens = new TokenTable<HandshakeAwaiter>();
  private readonly handshaking = new Map<PeerConnection, NodeJS.Timeout>();
  private readonly log: Logger;
  private readonly handshakeTimeoutMs: number;
  private readonly minProtocol: number;
  private readonly maxProtocol: number;
  private readonly capabilities: Capability[];

  private readonly wireTap: HostWireTap | undefined;
  private accepted = 0;

  constructor(options: ConnectionRouterOptions) {
    this.log = options.logger;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
    this.minProtocol = options.minProtocol ?? PROTOCOL_VERSION;
    this.maxProtocol = options.maxProtocol ?? PROTOCOL_VERSION;
    this.capabilities = options.capabilities ?? ["streaming", "host-calls", "plugin-calls", "pubsub"];
    this.wireTap = options.wireTap;
    this.protocolRange = this.minProtocol === this.maxProtocol ? `${this.minProtocol}` : `${this.minProtocol}-${this.maxProtocol}`;
  }

  /** expect awaits one handshake with `token` (§4.2.1). */
  expect(token: string, awaiter: HandshakeAwaiter): void {
    this.tokens.add(token, awaiter);
  }

  /** forget voids a token whose instance was given up (startup timeout, exit). */
  forget(token: string): void {
    this.tokens.remove(token);
  }

  /** accept takes one new connection; give it to listen() as the ConnectionHandler. */
  readonly accept = (socket: Socket): void => {
    let handler: (event: PeerEvent) => void = () => {};
    const number = ++this.accepted;
    const tap = this.wireTap;
    const connection = new PeerConnection(socket, new Peer({ role: "host" }), (event) => handler(event), {
      now: () => performance.now(),
      tap: tap && ((direction, bytes) => tap(number, direction, bytes)),
    });
    handler = (event) => {
      const next = this.onHandshakeEvent(connection, event);
      if (next !== undefined) handler = next;
    };
    const timer = setTimeout(() => {
      this.log.warn("closed a connection that sent no Hello within the handshake timeout", { handshakeTimeoutMs: this.handshakeTimeoutMs });
      this.close(connection, `handshake timeout: no Hello within ${this.handshakeTimeoutMs} ms`);
    }, this.handshakeTimeoutMs);
    this.handshaking.set(connection, timer);
  };

  /** closeAll closes the connections still in their handshake (the host is closing). */
  closeAll(): void {
    for (const connection of [...this.handshaking.keys()]) this.close(connection, "host closing");
  }

  private onHandshakeEvent(connection: PeerConnection, event: PeerEvent): ((event: PeerEvent) => void) | undefined {
    if (event.type === "close") {
      this.settle(connection);
      // §1.2, §15: a close for a decoding error or a violation is reported with its reason.
      if (event.error !== undefined) this.log.warn("closed a connection that broke the protocol during its handshake", { reason: event.reason });
    }
    if (event.type !== "hello") return undefined;
    this.settle(connection);
    const awaiter = this.tokens.take(event.hello.token);
    if (connection.peer.state === "closed") {
      // Bytes came behind the Hello in the same read: the Peer has closed the connection for
      // it (§4.4 rule 3, §15 #7), and neither Welcome nor Reject may follow.
      awaiter?.broken(connection.peer.closeReason ?? "protocol violation during the handshake");
      return undefined;
    }
    if (awaiter === undefined) {
      this.log.warn("rejected a connection whose Hello presented a wrong or void token", { pluginName: event.hello.pluginName });
      this.reject(connection, new PluginError("UNAUTHENTICATED", "the token in Hello is not one this host is waiting for: present the POLYPROC_TOKEN the host started this process with, once"));
      return undefined;
    }
    const check = checkHello(event.hello, this.minProtocol, this.maxProtocol, this.capabilities);
    if (!check.ok) {
      const error = new PluginError(check.code, check.message);
      this.reject(connection, error);
      awaiter.rejected(error);
      return undefined;
    }
    return awaiter.welcome(connection, event, { protocol: check.protocol, capabilities: check.capabilities });
  }

  private reject(connection: PeerConnection, error: PluginError): void {
    connection.peer.reject(error.code, error.message);
    connection.flushSoon();
  }

  private close(connection: PeerConnection, reason: string): void {
    this.settle(connection);
    connection.peer.close(reason);
    connection.flushSoon();
  }

  private settle(connection: PeerConnection): void {
    clearTimeout(this.handshaking.get(connection));
    this.handshaking.delete(connection);
  }
}
