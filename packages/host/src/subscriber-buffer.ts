// One subscriber's bounded buffer of undelivered messages (PROTOCOL.md §12.4.3, §12.4.4).
import type { PlainValue } from "@polyproc/protocol";
import type { BufferPolicy } from "./pubsub-options.js";

/** Message is one published message on its way to a subscriber. */
export interface Message {
  topic: string;
  value: PlainValue;
  metadata: Record<string, string>;
}

/**
 * Deliver hands one message to its subscriber. A promise makes the buffer wait for it before
 * the next message (a handler still running, a connection whose socket is backed up).
 */
export type Deliver = (message: Message) => void | Promise<void>;

/** How many messages are delivered in one go before the buffer lets other work run. */
const BURST = 64;

/**
 * SubscriberBuffer holds at most `size` undelivered messages for one subscriber and delivers
 * them in the order it took them, one at a time. When full, a new message drops the oldest,
 * or, with the `block` policy and a `blockable` message (the host application's), waits for
 * room: offer() then returns a promise that resolves once the message is in the buffer.
 * Delivery starts on a later microtask, never inside offer().
 */
export class SubscriberBuffer {
  /** Messages dropped because the buffer was full. */
  dropped = 0;
  /** Messages handed to the subscriber. */
  delivered = 0;
  private readonly queue: Message[] = [];
  private readonly waiting: { message: Message; admitted: () => void }[] = [];
  private pumping = false;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly policy: BufferPolicy,
    private readonly deliver: Deliver,
    /** Receives what deliver throws or rejects with; the buffer goes on with the next message. */
    private readonly failed: (error: unknown, message: Message) => void,
  ) {}

  /** length is the number of messages waiting for delivery (not counting blocked publishers). */
  get length(): number {
    return this.queue.length;
  }

  /**
   * offer takes a message for delivery. It returns undefined when the message is in the
   * buffer (a full buffer dropped its oldest), or a promise when a blockable message waits
   * for room under the `block` policy. A closed buffer ignores it.
   */
  offer(message: Message, blockable: boolean): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (this.queue.length >= this.size) {
      if (this.policy === "block" && blockable) return new Promise((admitted) => this.waiting.push({ message, admitted }));
      this.queue.shift();
      this.dropped += 1;
    }
    this.queue.push(message);
    this.schedule();
    return undefined;
  }

  /** close drops what is undelivered and releases blocked publishers; later offers are ignored. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const waiter of this.waiting.splice(0)) waiter.admitted();
  }

  private schedule(): void {
    if (this.pumping) return;
    this.pumping = true;
    queueMicrotask(() => void this.pump());
  }

  private async pump(): Promise<void> {
    let burst = 0;
    while (this.queue.length > 0 && !this.closed) {
      const message = this.queue.shift() as Message;
      this.admitOne();
      try {
        const pending = this.deliver(message);
        if (pending !== undefined) await pending;
      } catch (error) {
        this.failed(error, message);
      }
      this.delivered += 1;
      if (++burst >= BURST) {
        burst = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    this.pumping = false;
  }

  // A message left the buffer: the first blocked publisher's message takes its place.
  private admitOne(): void {
    const waiter = this.waiting.shift();
    if (waiter === undefined) return;
    this.queue.push(waiter.message);
    waiter.admitted();
  }
}
