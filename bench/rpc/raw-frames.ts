/**
 * FrameCounter counts the 4-byte big-endian length-prefixed frames in a byte stream given in
 * chunks of any size, without looking at their bodies: the least a receiver can do.
 */
export class FrameCounter {
  // Bytes still to skip of the frame being received, or -1 while reading a header.
  private remaining = -1;
  private header = 0;
  private headerBytes = 0;

  /** push reads a chunk and returns how many frames it completed. */
  push(chunk: Uint8Array): number {
    let frames = 0;
    let pos = 0;
    while (pos < chunk.length) {
      if (this.remaining < 0) {
        this.header = (this.header << 8) | chunk[pos++]!;
        if (++this.headerBytes < 4) continue;
        this.remaining = this.header >>> 0;
        this.header = 0;
        this.headerBytes = 0;
      }
      const take = Math.min(this.remaining, chunk.length - pos);
      pos += take;
      this.remaining -= take;
      if (this.remaining === 0) {
        frames++;
        this.remaining = -1;
      }
    }
    return frames;
  }
}

/** frameTemplate is one length-prefixed frame of `size` bytes in all, its body filled. */
export function frameTemplate(size: number): Buffer {
  const frame = Buffer.alloc(size, 0x5a);
  frame.writeUInt32BE(size - 4, 0);
  return frame;
}

/**
 * BatchWriter writes frames as one socket write per event-loop turn (setImmediate), the
 * way polyproc's connections batch theirs.
 */
export class BatchWriter {
  private pending = 0;
  private scheduled = false;

  constructor(
    private readonly socket: { write(data: Uint8Array): boolean },
    private readonly template: Buffer,
  ) {}

  /** add queues `count` copies of the template frame. */
  add(count: number): void {
    this.pending += count;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const size = this.template.length;
    const out = Buffer.allocUnsafe(this.pending * size);
    for (let i = 0; i < this.pending; i++) this.template.copy(out, i * size);
    this.pending = 0;
    this.socket.write(out);
  }
}
