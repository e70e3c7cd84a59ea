// The fake host's side of the connection: it listens, accepts the plugin's one connection
// (PROTOCOL.md §2.6), decodes what the plugin sends into a queue of frames that the steps
// consume in order, and writes whatever bytes the steps send, valid or not.

import { type Server, type Socket, createServer } from "node:net";
import type { Frame } from "@polyproc/protocol";
import { show } from "../match.js";
import { FrameReader, hexOf } from "../wire/frame-bytes.js";
import { readableFrame } from "../wire/frame-spec.js";
import type { HostAddress } from "./host-address.js";
import type { Watch } from "./watch.js";

/** Received is one frame the plugin sent, as decoded and in the readable form cases match. */
export interface Received {
  frame: Frame;
  readable: Record<string, unknown>;
  kind: string;
}

/**
 * FakeHost holds the listening server and the plugin's connection. Frames received are
 * queued; `next` is the index of the first one no step has consumed yet.
 */
export class FakeHost {
  readonly received: Received[] = [];
  next = 0;
  /** The connection, once the plugin has connected. */
  socket: Socket | undefined;
  /** How many connections the plugin opened (§2.6.1: exactly one). */
  connections = 0;
  /** Set when the plugin's side of the connection has ended (end of stream, reset or close). */
  ended: string | undefined;
  /** Set when a step closed the connection from the host's side. */
  closedByHost = false;
  readonly #server: Server;
  readonly #reader = new FrameReader();
  readonly #watch: Watch;
  readonly #trace: (line: string) => void;

  constructor(watch: Watch, trace: (line: string) => void) {
    this.#watch = watch;
    this.#trace = trace;
    this.#server = createServer((socket) => this.#accept(socket));
  }

  /** listen starts listening at the address; it rejects if the address cannot be used. */
  listen(address: HostAddress): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(address.listenPath, () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
  }

  /** decodeError is the error of the plugin's bytes that did not decode, if any. */
  get decodeError(): Error | undefined {
    return this.#reader.error;
  }

  /** send writes bytes on the connection; `what` is the trace line. Writes after the end are dropped. */
  send(bytes: Uint8Array, what: string): void {
    this.#trace(`→ ${what}`);
    if (this.socket === undefined || this.socket.destroyed) return;
    this.socket.write(bytes);
  }

  /** closeConnection closes the connection from the host's side, at once. */
  closeConnection(): void {
    this.#trace("→ (the host closes the connection)");
    this.closedByHost = true;
    this.socket?.destroy();
    this.#watch.notify();
  }

  /** close destroys the connection and stops listening; it resolves when the server has closed, or after 2 s. */
  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      this.#server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #accept(socket: Socket): void {
    this.connections++;
    if (this.socket !== undefined) {
      this.#trace(`(the plugin opened connection #${this.connections}; a plugin opens exactly one, §2.6.1: closing it)`);
      socket.destroy();
      this.#watch.notify();
      return;
    }
    this.#trace("(the plugin connected)");
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.on("end", () => this.#end("the plugin closed the connection"));
    socket.on("error", (error) => this.#end(`connection error: ${error.message}`));
    socket.on("close", () => this.#end("the connection closed"));
    this.#watch.notify();
  }

  #receive(chunk: Buffer): void {
    if (this.closedByHost) return;
    const frames = this.#reader.push(new Uint8Array(chunk));
    for (const frame of frames) {
      const readable = readableFrame(frame);
      const kind = Object.keys(readable)[0] ?? "empty";
      this.received.push({ frame, readable, kind });
      this.#trace(`← ${kind} ${show(readable[kind])}`);
    }
    if (this.#reader.error !== undefined) this.#trace(`← bytes that do not decode: ${this.#reader.error.message} (${hexOf(chunk, 32)})`);
    this.#watch.notify();
  }

  #end(reason: string): void {
    if (this.ended !== undefined || this.closedByHost) return;
    this.ended = reason;
    this.#trace(`← (${reason})`);
    this.#watch.notify();
  }
}
