// The executor's side of one relay process (relay.ts): its report, the frames the host sends
// the fake plugin, and the commands that write bytes, close the connection or end the process.

import type { Socket } from "node:net";
import type { Frame } from "@polyproc/protocol";
import { show } from "../match.js";
import { FrameReader, frameBytes, hexOf } from "../wire/frame-bytes.js";
import { frameFromSpec, readableFrame } from "../wire/frame-spec.js";
import { RelayMessageReader, relayJson, relayMessage, type RelayMessage } from "./relay-wire.js";
import { Inbox } from "./inbox.js";

/** LinkEvent is what a case waits for on a relay: a frame from the host, or the connection's end. */
export type LinkEvent = { type: "frame"; frame: Frame } | { type: "closed"; error: string | undefined } | { type: "undecodable"; error: Error };

/**
 * RelayLink is one fake plugin process as the executor sees it. `report` resolves with what
 * the process found in its environment, `opened` when it has connected to the host. Frames
 * from the host arrive in `inbox`; Pings are answered at once while `autoPong` is on.
 */
export class RelayLink {
  readonly report: Promise<Record<string, unknown>>;
  readonly opened: Promise<void>;
  /** gone resolves when the relay's control connection closed: the process has ended. */
  readonly gone: Promise<void>;
  readonly inbox = new Inbox<LinkEvent>();
  autoPong = true;
  /** closed: the connection to the host has ended (or the process is gone). */
  closed = false;
  private readonly reader = new RelayMessageReader();
  private readonly frames = new FrameReader();
  private settleReport: (report: Record<string, unknown>) => void = () => {};
  private settleOpened: () => void = () => {};

  constructor(
    readonly index: number,
    private readonly socket: Socket,
    private readonly trace: (line: string) => void,
  ) {
    this.report = new Promise((resolve) => (this.settleReport = resolve));
    this.opened = new Promise((resolve) => (this.settleOpened = resolve));
    this.gone = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", (error) => this.trace(`relay ${index}: control connection error: ${error.message}`));
    void this.gone.then(() => this.hostClosed("the relay process ended"));
  }

  /** sendFrame writes one frame to the host, followed in the same write by `trailing` bytes if given. */
  sendFrame(frame: Frame, trailing?: Uint8Array): void {
    this.trace(`→ ${show(readableFrame(frame))}`);
    if (trailing === undefined) return this.write(frameBytes(frame));
    this.trace(`→ raw ${hexOf(trailing)} (in the same write)`);
    const bytes = frameBytes(frame);
    const joined = new Uint8Array(bytes.length + trailing.length);
    joined.set(bytes, 0);
    joined.set(trailing, bytes.length);
    this.write(joined);
  }

  /** sendFrames writes several frames to the host in one write (a flood); the trace shows the first. */
  sendFrames(frames: Frame[]): void {
    if (frames.length === 0) return;
    this.trace(`→ ${show(readableFrame(frames[0]!))}${frames.length > 1 ? ` and ${frames.length - 1} more in the same write` : ""}`);
    const parts = frames.map(frameBytes);
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    this.write(bytes);
  }

  /** sendBytes writes raw bytes to the host. */
  sendBytes(bytes: Uint8Array): void {
    this.trace(`→ raw ${hexOf(bytes)}`);
    this.write(bytes);
  }

  /** end closes the fake plugin's side of the connection; the process then exits with `exitCode`, or stays when null. */
  end(exitCode: number | null): void {
    this.trace(`relay ${this.index}: closing the connection (${exitCode === null ? "the process stays" : `then exit ${exitCode}`})`);
    this.control(relayMessage("E", JSON.stringify({ exitCode })));
  }

  /** exitCodeOnClose sets the status the relay exits with when the connection ends, whoever ends it. */
  exitCodeOnClose(exitCode: number): void {
    this.trace(`relay ${this.index}: will exit ${exitCode} when the connection ends`);
    this.control(relayMessage("C", JSON.stringify({ exitCode })));
  }

  /** exit ends the relay process at once with `code`; the kernel closes its connection. */
  exit(code: number): void {
    this.trace(`relay ${this.index}: exit ${code}`);
    this.control(relayMessage("X", JSON.stringify({ code })));
  }

  /** destroy drops the control connection, which makes the relay exit; used in cleanup. */
  destroy(): void {
    this.socket.destroy();
  }

  private write(bytes: Uint8Array): void {
    this.control(relayMessage("D", bytes));
  }

  private control(message: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(message);
  }

  private receive(chunk: Uint8Array): void {
    let messages: RelayMessage[];
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      this.trace(`relay ${this.index}: ${(error as Error).message}`);
      this.socket.destroy();
      return;
    }
    for (const message of messages) this.onMessage(message);
  }

  private onMessage(message: RelayMessage): void {
    switch (message.tag) {
      case "R":
        this.settleReport(relayJson(message));
        return;
      case "O":
        this.trace(`relay ${this.index}: connected to the host`);
        this.settleOpened();
        return;
      case "D":
        return this.onBytes(message.payload);
      case "E": {
        const error = relayJson(message).error;
        this.hostClosed(typeof error === "string" ? `the connection ended: ${error}` : "the host closed the connection");
        return;
      }
      default:
        this.trace(`relay ${this.index}: unexpected message ${message.tag}`);
    }
  }

  private onBytes(bytes: Uint8Array): void {
    const frames = this.frames.push(bytes);
    for (const frame of frames) {
      this.trace(`← ${show(readableFrame(frame))}`);
      if (frame.kind.case === "ping" && this.autoPong) this.sendFrame(frameFromSpec({ pong: { seq: String(frame.kind.value.seq) } }));
      this.inbox.push({ type: "frame", frame });
    }
    if (this.frames.error !== undefined && frames.length === 0) {
      this.trace(`← undecodable bytes ${hexOf(bytes)}: ${this.frames.error.message}`);
      this.inbox.push({ type: "undecodable", error: this.frames.error });
    }
  }

  private hostClosed(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.trace(`relay ${this.index}: ${why}`);
    this.inbox.push({ type: "closed", error: why });
  }
}
