// The server side of the raw scenario, run in its own process by raw.ts:
//   raw-server.ts SOCKET_PATH RESULT_FRAME_BYTES
// For every length-prefixed frame received it sends one frame of RESULT_FRAME_BYTES, the
// answers of one event-loop turn in one write.
import { createServer } from "node:net";
import { BatchWriter, FrameCounter, frameTemplate } from "./raw-frames.js";

const [path, resultBytes] = process.argv.slice(2);
if (path === undefined || resultBytes === undefined) {
  console.error("usage: raw-server.ts SOCKET_PATH RESULT_FRAME_BYTES");
  process.exit(2);
}
const template = frameTemplate(Number(resultBytes));

const server = createServer((socket) => {
  socket.setNoDelay(true);
  const counter = new FrameCounter();
  const writer = new BatchWriter(socket, template);
  socket.on("data", (chunk) => {
    const frames = counter.push(chunk);
    if (frames > 0) writer.add(frames);
  });
  socket.on("error", () => socket.destroy());
});
server.listen(path, () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
