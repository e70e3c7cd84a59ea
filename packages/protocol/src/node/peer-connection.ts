import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
// The package's own entry, so that the built types of this subpath share its Peer.
import type { Peer, PeerEvent } from "@polyproc/protocol";

/** PeerConnectionOptions configures a PeerConnection. */
export interface PeerConnectionOptions {
  /** The monotonic clock in milliseconds given to the peer as `now`. Default: performance.now(). */
  now?: () => number;
  /**
   * A debugging aid: sees every chunk read ("in") and written ("out"), as it goes, before the
   * peer handles it. The bytes include the token of the Hello: never log them in production.
   */
  tap?: WireTap;
}

/** WireTap receives the raw bytes of a connection in each direction (PeerConnectionOptions.tap). */
export type WireTap = (direction: "in" | "out", bytes: Uint8Array) => void;

/**
 * PeerConnection runs a Peer over a Node socket (PROTOCOL.md §3.3): bytes read go through
 * peer.receive and each event to `onEvent`, in order; frames the peer queues are written
 * in one write per batch: the frames queued while a chunk read is handled, its promise
 * continuations included, go out as soon as those have run (process.nextTick queued from a
 * microtask, which runs once the microtask queue is empty); frames queued elsewhere go out
 * at the end of the event-loop turn (setImmediate). When the peer's state becomes closed,
 * what is left is written and the socket ended. When the socket ends or fails, the peer's
 * close event is delivered, once.
 *
 * After any command on the peer outside an event handler (call, result, cancel, ...), call
 * flushSoon() so that its frames go out; inside handlers this happens by itself. `onEvent`
 * must not throw.
 */
export class PeerConnection {
  readonly peer: Peer;
  /** closed resolves when the socket has closed. */
  readonly closed: Promise<void>;
  private readonly socket: Socket;
  private readonly onEvent: (event: PeerEvent) => void;
  private readonly now: () => number;
  private readonly tap: WireTap | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private ending = false;
  /** Set while a chunk read and its continuations are handled: their frames go out together at the end. */
  private inBatch = false;
  private readonly flushBound = (): void => {
    this.immediate = undefined;
    this.flushNow();
  };
  private readonly endBatchSoon = (): void => process.nextTick(this.endBatch);
  private readonly endBatch = (): void => {
    this.inBatch = false;
    if (this.peer.hasOutput || this.immediate !== undefined) this.flushNow();
  };

  constructor(socket: Socket, peer: Peer, onEvent: (event: PeerEvent) => void, options: PeerConnectionOptions = {}) {
    this.socket = socket;
    this.peer = peer;
    this.onEvent = onEvent;
    this.now = options.now ?? (() => performance.now());
    this.tap = options.tap;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("end", () => this.end(undefined));
    socket.on("error", (error: Error) => this.end(`connection error: ${error.message}`));
    socket.on("close", () => this.end(undefined));
  }

  /** flushSoon schedules one write of the peer's output at the end of this batch or turn, coalescing. */
  flushSoon(): void {
    if (this.immediate === undefined && !this.inBatch && !this.ending) this.immediate = setImmediate(this.flushBound);
  }

  /**
   * writeBacklog is how many bytes were written to the socket and not yet sent: a sender
   * that may outrun the reader (pub/sub delivery, PROTOCOL.md §12.4.4) holds back above a
   * bound and waits for drained().
   */
  get writeBacklog(): number {
    return this.socket.writableLength;
  }

  /** drained resolves once the socket has sent what was written to it, or has closed. */
  drained(): Promise<void> {
    if (this.socket.writableLength === 0 || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off("drain", done);
        this.socket.off("close", done);
        resolve();
      };
      this.socket.once("drain", done);
      this.socket.once("close", done);
    });
  }

  /** flushNow writes the peer's output now; if the peer is closed, it then ends the socket. */
  flushNow(): void {
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    const out = this.peer.takeOutput();
    if (out !== undefined && this.socket.writable) {
      this.tap?.("out", out);
      this.socket.write(out);
    }
    if (this.peer.state === "closed") this.finish();
  }

  private receive(chunk: Buffer): void {
    this.tap?.("in", chunk);
    const events = this.peer.receive(chunk, this.now());
    for (const event of events) this.onEvent(event);
    if (this.peer.state === "closed") this.flushNow();
    else if (!this.inBatch) {
      this.inBatch = true;
      queueMicrotask(this.endBatchSoon);
    }
  }

  private end(reason: string | undefined): void {
    const events = this.peer.end(this.now(), reason);
    for (const event of events) this.onEvent(event);
    this.flushNow();
  }

  // Ends the socket once its last bytes are written, then releases it.
  private finish(): void {
    if (this.ending) return;
    this.ending = true;
    if (this.socket.destroyed) return;
    this.socket.end(() => this.socket.destroy());
  }
}
