/** A virtual clock with a binary-heap timer queue: time moves only when the simulation runs it. */
import type { Clock, TimerHandle } from '@p2p/core';

interface Task {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** The virtual clock the simulated engines run on (deterministic: same seed, same run). */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly heap: Task[] = [];

  /** Virtual milliseconds since the start. */
  now(): number {
    return this.time;
  }

  /** Schedules `fn` after `ms` virtual milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const task: Task = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(task);
    return task;
  }

  /** Cancels a scheduled callback. */
  clearTimeout(handle: TimerHandle): void {
    if (handle && typeof handle === 'object' && 'cancelled' in handle) (handle as Task).cancelled = true;
  }

  /** Runs every callback due up to `until`, then sets the time to `until`. */
  runUntil(until: number): void {
    while (this.heap.length > 0 && this.heap[0]!.at <= until) {
      const task = this.pop()!;
      if (task.cancelled) continue;
      this.time = task.at;
      task.fn();
    }
    this.time = Math.max(this.time, until);
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

/** A seeded PRNG (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
