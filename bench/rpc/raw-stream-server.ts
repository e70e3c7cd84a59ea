// The server side of the raw stream scenario, run in its own process by raw-stream.ts:
//   raw-stream-server.ts SOCKET_PATH ITEM_FRAME_BYTES
// A connection opens with 4 bytes: the window W (big-endian). With W = 0 the server pours
// length-prefixed frames of ITEM_FRAME_BYTES into the socket, 256 to a write, as fast as it
// takes them (waiting for `drain` when full). With W > 0 it sends at most W items ahead:
// every length-prefixed frame the client sends grants max(1, floor(W / 2)) more, the way
// polyproc's Credit does (PROTOCOL.md §10); the items one event-loop turn allows go in one write.
import { createServer, type Socket } from "node:net";
import { FrameCounter, frameTemplate } from "./raw-frames.js";

const [path, itemBytes] = process.argv.slice(2);
if (path === undefined || itemBytes === undefined) {
  console.error("usage: raw-stream-server.ts SOCKET_PATH ITEM_FRAME_BYTES");
  process.exit(2);
}
const template = frameTemplate(Number(itemBytes));
const batch = Buffer.concat(Array.from({ length: 256 }, () => template));

function pour(socket: Socket): void {
  while (!socket.destroyed) {
    if (!socket.write(batch)) {
      socket.once("drain", () => pour(socket));
      return;
    }
  }
}

function paced(socket: Socket, window: number): (chunk: Buffer) => void {
  const grant = Math.max(1, Math.floor(window / 2));
  const counter = new FrameCounter();
  let credit = window;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (credit === 0 || socket.destroyed) return;
    const out = Buffer.allocUnsafe(credit * template.length);
    for (let i = 0; i < credit; i++) template.copy(out, i * template.length);
    credit = 0;
    socket.write(out);
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  schedule();
  return (chunk) => {
    credit += counter.push(chunk) * grant;
    schedule();
  };
}

const server = createServer((socket) => {
  socket.on("error", () => socket.destroy());
  let opening = Buffer.alloc(0);
  let onCredit: ((chunk: Buffer) => void) | undefined;
  socket.on("data", (chunk: Buffer) => {
    if (onCredit !== undefined) return onCredit(chunk);
    opening = Buffer.concat([opening, chunk]);
    if (opening.length < 4) return;
    const window = opening.readUInt32BE(0);
    if (window === 0) return pour(socket);
    onCredit = paced(socket, window);
    if (opening.length > 4) onCredit(opening.subarray(4));
  });
});
server.listen(path, () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
