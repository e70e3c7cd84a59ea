// One Node timer for the deadlines of every running call (PROTOCOL.md §6.2), so that a call
// with a deadline costs a heap insertion rather than a timer of its own.

/** Timed is something with a deadline that DeadlineTimers can hold. */
export interface Timed {
  /** The absolute deadline on the `now` clock. */
  readonly deadline: number;
  /** Where it is in the heap; -1 when it is not held. Owned by DeadlineTimers. */
  heapIndex: number;
}

/**
 * DeadlineTimers calls `onExpire` for each entry whose deadline has passed and that was not
 * removed first. Entries live in an indexed min-heap by deadline (add and remove in O(log n)),
 * and one timer is armed for the earliest deadline. Removing the earliest entry does not
 * re-arm the timer: when it fires early it re-arms for the entry then first.
 */
export class DeadlineTimers<T extends Timed> {
  readonly #heap: T[] = [];
  readonly #onExpire: (entry: T) => void;
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Infinity;

  constructor(onExpire: (entry: T) => void, now: () => number = () => performance.now()) {
    this.#onExpire = onExpire;
    this.#now = now;
  }

  /** size is the number of entries held. */
  get size(): number {
    return this.#heap.length;
  }

  /** add holds an entry until its deadline or its removal. */
  add(entry: T): void {
    entry.heapIndex = this.#heap.length;
    this.#heap.push(entry);
    this.#up(entry.heapIndex);
    if (entry.deadline < this.#armedFor) this.#arm(entry.deadline);
  }

  /** remove forgets an entry; one not held is ignored. */
  remove(entry: T): void {
    const index = entry.heapIndex;
    if (index < 0 || this.#heap[index] !== entry) return;
    entry.heapIndex = -1;
    const last = this.#heap.pop()!;
    if (index === this.#heap.length) return;
    this.#heap[index] = last;
    last.heapIndex = index;
    this.#down(index);
    this.#up(last.heapIndex);
  }

  /** clear forgets every entry and disarms the timer. */
  clear(): void {
    for (const entry of this.#heap) entry.heapIndex = -1;
    this.#heap.length = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  #arm(deadline: number): void {
    clearTimeout(this.#timer);
    this.#armedFor = deadline;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, deadline - this.#now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = this.#now();
    for (let first = this.#heap[0]; first !== undefined && first.deadline <= now; first = this.#heap[0]) {
      this.remove(first);
      this.#onExpire(first);
    }
    const next = this.#heap[0];
    if (next !== undefined && next.deadline < this.#armedFor) this.#arm(next.deadline);
  }

  #up(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.deadline <= entry.deadline) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.heapIndex = index;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    const length = heap.length;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      if (child + 1 < length && heap[child + 1]!.deadline < heap[child]!.deadline) child += 1;
      const smaller = heap[child]!;
      if (smaller.deadline >= entry.deadline) break;
      heap[index] = smaller;
      smaller.heapIndex = index;
      index = child;
    }
    heap[index] = entry;
    entry.heapIndex = index;
  }
}
