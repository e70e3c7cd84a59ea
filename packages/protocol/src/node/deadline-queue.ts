/** DeadlineEntry is something with a deadline that a DeadlineQueue watches. */
export interface DeadlineEntry {
  /** The absolute deadline on the queue's clock, in ms. */
  readonly deadline: number;
  /** The entry's place in its queue, -1 when in none; the queue keeps it. */
  deadlineIndex: number;
}

/** DeadlineQueueOptions configure a DeadlineQueue. */
export interface DeadlineQueueOptions<E extends DeadlineEntry> {
  /** Called once for each entry whose deadline has passed; the entry has left the queue. */
  expire: (entry: E) => void;
  /** The clock of the deadlines, in ms; default performance.now. */
  now?: () => number;
}

/** The longest delay setTimeout takes; a later deadline is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * DeadlineQueue watches many deadlines with one timer: a binary min-heap of entries ordered
 * by deadline (each entry knows its index, so removing one is O(log n)) and one setTimeout
 * armed for the earliest. Removing entries never touches the timer: when it fires with
 * nothing due it re-arms for the earliest deadline left, so a stream of calls answered in
 * time costs no timer operation per call. The timer does not keep the process alive (the
 * connection or process an entry waits on does).
 */
export class DeadlineQueue<E extends DeadlineEntry> {
  private readonly heap: E[] = [];
  private readonly expire: (entry: E) => void;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires, on the queue's clock; Infinity when none is armed. */
  private armedFor = Infinity;

  constructor(options: DeadlineQueueOptions<E>) {
    this.expire = options.expire;
    this.now = options.now ?? (() => performance.now());
  }

  /** size is the number of entries watched. */
  get size(): number {
    return this.heap.length;
  }

  /** add watches an entry (one not in a queue); it expires once its deadline has passed. */
  add(entry: E): void {
    const heap = this.heap;
    entry.deadlineIndex = heap.length;
    heap.push(entry);
    this.up(heap.length - 1);
    if (entry.deadline < this.armedFor) this.arm(entry.deadline);
  }

  /** remove stops watching an entry; entries in no queue are ignored. */
  remove(entry: E): void {
    const index = entry.deadlineIndex;
    const heap = this.heap;
    if (index < 0 || heap[index] !== entry) return;
    entry.deadlineIndex = -1;
    const last = heap.pop() as E;
    if (index === heap.length) return;
    heap[index] = last;
    last.deadlineIndex = index;
    this.down(index);
    this.up(last.deadlineIndex);
  }

  /** clear stops watching every entry and disarms the timer. */
  clear(): void {
    for (const entry of this.heap) entry.deadlineIndex = -1;
    this.heap.length = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  private arm(deadline: number): void {
    clearTimeout(this.timer);
    const now = this.now();
    this.armedFor = deadline;
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(Math.ceil(deadline - now), 1), MAX_TIMER_MS));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.now();
    const heap = this.heap;
    while (heap.length > 0 && (heap[0] as E).deadline <= now) {
      const entry = heap[0] as E;
      this.remove(entry);
      this.expire(entry);
    }
    const next = heap[0];
    if (next !== undefined && next.deadline < this.armedFor) this.arm(next.deadline);
  }

  private up(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as E;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as E;
      if (parent.deadline <= entry.deadline) break;
      heap[index] = parent;
      parent.deadlineIndex = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.deadlineIndex = index;
  }

  private down(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as E;
    const length = heap.length;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && (heap[right] as E).deadline < (heap[child] as E).deadline) child = right;
      const smaller = heap[child] as E;
      if (smaller.deadline >= entry.deadline) break;
      heap[index] = smaller;
      smaller.deadlineIndex = index;
      index = child;
    }
    heap[index] = entry;
    entry.deadlineIndex = index;
  }
}
