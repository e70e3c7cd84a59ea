import type { Done, OpenOptions, RpcClient } from "./closed-loop.js";
import { addFrameSizes } from "./frame-sizes.js";
import { BatchWriter, FrameCounter, frameTemplate } from "./raw-frames.js";
import { serveAndAttach } from "./server-process.js";
import { connectUnix } from "./unix-socket.js";

/**
 * openRaw starts the raw limit: bare Node-to-Node Unix-socket ping-pong, the server in its
 * own process, with length-prefixed frames of the sizes of polyproc's Call and Result for
 * the same add, writes batched per event-loop turn on both sides. Answers come in order, so
 * a queue of callbacks matches them to calls.
 */
export function openRaw(options: OpenOptions): Promise<RpcClient> {
  const sizes = addFrameSizes();
  return serveAndAttach("./raw-server.ts", [String(sizes.result)], options, async (path) => {
    const socket = await connectUnix(path);
    const writer = new BatchWriter(socket, frameTemplate(sizes.call));
    const counter = new FrameCounter();
    const waiting = new DoneQueue();
    socket.on("data", (chunk: Buffer) => {
      for (let n = counter.push(chunk); n > 0; n--) waiting.shift()();
    });
    return {
      issue(done) {
        waiting.push(done);
        writer.add(1);
      },
      close: async () => void socket.destroy(),
    };
  });
}

/** DoneQueue is a FIFO of callbacks that does not shift arrays. */
class DoneQueue {
  private items: (Done | undefined)[] = [];
  private head = 0;

  push(done: Done): void {
    this.items.push(done);
  }

  shift(): Done {
    const done = this.items[this.head];
    if (done === undefined) throw new Error("the raw server answered more frames than were sent");
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return done;
  }
}
