import type { Clock, TimerHandle } from '../util/clock.js';

interface Task {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A virtual clock with a binary-heap timer queue: time only moves when the simulation runs it. */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private heap: Task[] = [];
  /** Callbacks run so far. */
  executed = 0;

  /** Starts at `startMs` (0 by default). */
  constructor(startMs = 0) {
    this.time = startMs;
  }

  /** Virtual milliseconds. */
  now(): number {
    return this.time;
  }

  /** Queues `fn` to run once virtual time reaches now + ms. */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const task: Task = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(task);
    return task;
  }

  /** Cancels a queued callback. */
  clearTimeout(handle: TimerHandle): void {
    if (handle && typeof handle === 'object' && 'cancelled' in handle) (handle as Task).cancelled = true;
  }

  /** Runs every callback due up to `until` (inclusive), then sets the time to `until`. */
  runUntil(until: number): void {
    while (this.heap.length > 0 && this.heap[0]!.at <= until) {
      const task = this.pop()!;
      if (task.cancelled) continue;
      this.time = task.at;
      this.executed++;
      task.fn();
    }
    this.time = Math.max(this.time, until);
  }

  /** Moves time forward by `ms`, running every callback that falls due on the way. */
  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }

  /** Runs until no callback is left or `limitMs` of virtual time has passed. */
  runIdle(limitMs: number): void {
    this.runUntil(this.time + limitMs);
  }

  /** Callbacks waiting (cancelled ones included until they surface). */
  get pending(): number {
    return this.heap.length;
  }

  private less(a: Task, b: Task): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(task: Task): void {
    const h = this.heap;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Task | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
