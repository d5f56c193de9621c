/**
 * Pieces shared by the simulation tests: a deterministic virtual clock, a seeded random source,
 * random connected graphs, and a message bus that connects broadcast engines in one process.
 */
import { decodeEnvelope, encodeEnvelope } from '../src/codec/envelope-codec.js';
import type { Envelope } from '../src/codec/wire.js';
import type { VirtualClock } from '../src/testing/virtual-clock.js';

export { seededRandom } from '../src/testing/seeded-random.js';
export { VirtualClock } from '../src/testing/virtual-clock.js';
export { randomConnectedGraph } from '../src/testing/random-graph.js';

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
