import { FrameEncoder, toValue } from "@polyproc/protocol";
import type { OpenOptions } from "./closed-loop.js";
import { FrameCounter, frameTemplate } from "./raw-frames.js";
import { type RateTarget, measureRate } from "./rate-window.js";
import { startServer } from "./server-process.js";
import { connectUnix, tempSocket } from "./unix-socket.js";

/**
 * itemFrameSize is the size on the wire, 4-byte length prefix included, of the StreamItem
 * frame polyproc sends for a small item of the stream scenario (a number in the hundreds
 * of thousands, a call id in the thousands).
 */
export function itemFrameSize(): number {
  const encoder = new FrameEncoder();
  encoder.add({ $typeName: "polyproc.v1.Frame", kind: { case: "streamItem", value: { $typeName: "polyproc.v1.StreamItem", id: 5_000n, value: toValue(250_000) } } });
  return encoder.flush().length;
}

/** creditFrameSize is the size on the wire of the Credit frame polyproc sends for the same stream. */
function creditFrameSize(window: number): number {
  const encoder = new FrameEncoder();
  encoder.add({ $typeName: "polyproc.v1.Frame", kind: { case: "credit", value: { $typeName: "polyproc.v1.Credit", id: 5_000n, items: Math.max(1, Math.floor(window / 2)) } } });
  return encoder.flush().length;
}

/** opening is the 4 bytes that start a connection to raw-stream-server.ts: the window. */
function opening(window: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(window, 0);
  return bytes;
}

/**
 * openRawStream starts the raw stream limit: a bare Node process sending length-prefixed
 * frames of the size of polyproc's StreamItem over a Unix socket, and this process counting
 * them without decoding. A measurement's setting is the window: 0 pours items as fast as the
 * socket takes them (no flow control but the socket's); W > 0 paces them by credit as
 * polyproc does, this side sending a frame of the size of a Credit for every W / 2 items read.
 */
export async function openRawStream(options: OpenOptions): Promise<RateTarget> {
  const socket = tempSocket("raw-stream");
  const server = await startServer("./raw-stream-server.ts", [socket.path, String(itemFrameSize())], options.nodeArgs).catch((error: unknown) => {
    socket.remove();
    throw error;
  });
  return {
    async measure(window, timing) {
      const connection = await connectUnix(socket.path);
      const counter = new FrameCounter();
      const grant = Math.max(1, Math.floor(window / 2));
      const credit = frameTemplate(creditFrameSize(window));
      let items = 0;
      let unacknowledged = 0;
      connection.on("data", (chunk: Buffer) => {
        const frames = counter.push(chunk);
        items += frames;
        if (window === 0) return;
        unacknowledged += frames;
        const grants = Math.floor(unacknowledged / grant);
        if (grants === 0) return;
        unacknowledged -= grants * grant;
        connection.write(grants === 1 ? credit : Buffer.concat(Array.from({ length: grants }, () => credit)));
      });
      connection.write(opening(window));
      const running = new Promise<void>((resolve, reject) => {
        connection.once("error", reject);
        connection.once("close", () => resolve());
      });
      try {
        return await measureRate(() => items, timing, running, server.pid === undefined ? [] : [server.pid]);
      } finally {
        connection.destroy();
      }
    },
    async close() {
      await server.stop();
      socket.remove();
    },
  };
}
