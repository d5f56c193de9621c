/**
 * Pieces shared by the simulation tests: a deterministic virtual clock, a seeded random source,
 * random connected graphs, and a message bus that connects broadcast engines in one process.
 */
import { decodeEnvelope, encodeEnvelope } from '../src/codec/envelope-codec.js';
import type { Envelope } from '../src/codec/wire.js';
import type { Clock, TimerHandle } from '../src/util/clock.js';

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

interface Task {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A virtual clock with a binary-heap timer queue: time only moves when the simulation runs it. */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private heap: Task[] = [];
  /** Callbacks run so far. */
  executed = 0;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const task: Task = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(task);
    return task;
  }

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

/**
 * A random connected graph: a random Hamiltonian path first (so it is connected), then random edges until
 * every node has between minDegree and maxDegree neighbours (as far as the others' caps allow).
 */
export function randomConnectedGraph(n: number, minDegree: number, maxDegree: number, random: () => number): Set<number>[] {
  const adj = Array.from({ length: n }, () => new Set<number>());
  const link = (a: number, b: number) => {
    adj[a]!.add(b);
    adj[b]!.add(a);
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 1; i < n; i++) link(order[i - 1]!, order[i]!);
  for (let a = 0; a < n; a++) {
    const want = minDegree + Math.floor(random() * (maxDegree - minDegree + 1));
    for (let tries = 0; adj[a]!.size < want && tries < 200; tries++) {
      const b = Math.floor(random() * n);
      if (b !== a && !adj[a]!.has(b) && adj[b]!.size < maxDegree) link(a, b);
    }
  }
  return adj;
}

/** Node indices reachable from `start` through nodes for which `alive` is true. */
export function component(adj: Set<number>[], start: number, alive: (i: number) => boolean): Set<number> {
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const a = stack.pop()!;
    for (const b of adj[a]!) {
      if (!seen.has(b) && alive(b)) {
        seen.add(b);
        stack.push(b);
      }
    }
  }
  return seen;
}

/** Receives an envelope at a simulated node. */
export type BusHandler = (from: string, envelope: ReturnType<typeof decodeEnvelope>) => void;

/**
 * An in-process message bus over a fixed graph: every envelope is encoded and decoded with the real codec and
 * arrives after a random per-hop latency, in order per link. A dead node neither sends nor receives: what was
 * sent to it is lost silently, as with a frozen process, until the failure detector fires.
 */
export class SimBus {
  /** Envelopes handed to the bus, per message type. */
  readonly sentByType = new Map<string, number>();
  private readonly handlers = new Map<string, BusHandler>();
  private readonly dead = new Set<string>();
  private readonly linkClock = new Map<string, number>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly random: () => number,
    private readonly latency: { minMs: number; maxMs: number },
  ) {}

  /** Attaches the receiver of `peer`. */
  register(peer: string, handler: BusHandler): void {
    this.handlers.set(peer, handler);
  }

  /** Marks `peer` dead from now on. */
  kill(peer: string): void {
    this.dead.add(peer);
  }

  /** True while `peer` is alive. */
  isAlive(peer: string): boolean {
    return !this.dead.has(peer);
  }

  /** Sends from one peer to another; false when the sender is dead (its session layer is gone). */
  send(from: string, to: string, envelope: Envelope): boolean {
    if (this.dead.has(from)) return false;
    const bytes = encodeEnvelope(envelope);
    const type = Object.keys(envelope)[0] ?? '?';
    this.sentByType.set(type, (this.sentByType.get(type) ?? 0) + 1);
    const { minMs, maxMs } = this.latency;
    const key = `${from}>${to}`;
    const at = Math.max(this.clock.now() + minMs + this.random() * (maxMs - minMs), this.linkClock.get(key) ?? 0);
    this.linkClock.set(key, at);
    this.clock.setTimeout(() => {
      if (this.dead.has(to)) return;
      this.handlers.get(to)?.(from, decodeEnvelope(bytes));
    }, at - this.clock.now());
    return true;
  }
}
