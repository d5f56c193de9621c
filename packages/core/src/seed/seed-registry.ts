import type { p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';

/** One registration. */
interface Entry {
  info: p2p.v1.IPeerInfo;
  expiresAt: number;
}

/** Options of a seed registry. */
export interface SeedRegistryOptions {
  /** How long a registration lasts without renewal, ms. */
  ttlMs: number;
  /** Most registrations kept; default 10000 (the oldest expiring first are dropped beyond it). */
  capacity?: number;
  /** Clock; default Date.now. */
  now?: () => number;
}

/** A seed's registry of live peers: registrations that expire unless renewed. */
export class SeedRegistry {
  private readonly entries = new Map<PeerIdString, Entry>();
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(private readonly options: SeedRegistryOptions) {
    this.capacity = options.capacity ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Live registrations. */
  get size(): number { this.expire(); return this.entries.size; }

  /** True when the peer holds a live registration. */
  has(peerId: PeerIdString): boolean { this.expire(); return this.entries.has(peerId); }

  /** Adds or renews a registration; returns the TTL granted. */
  register(peerId: PeerIdString, info: p2p.v1.IPeerInfo): number {
    this.expire();
    if (!this.entries.has(peerId) && this.entries.size >= this.capacity) {
      let first: PeerIdString | undefined;
      for (const [id, e] of this.entries) if (!first || e.expiresAt < this.entries.get(first)!.expiresAt) first = id;
      if (first) this.entries.delete(first);
    }
    this.entries.set(peerId, { info: { ...info, seenAtMs: this.now() }, expiresAt: this.now() + this.options.ttlMs });
    return this.options.ttlMs;
  }

  /** Updates the load of a registered peer (from its pongs). */
  updateLoad(peerId: PeerIdString, load: number): void {
    const e = this.entries.get(peerId);
    if (e) e.info.load = load;
  }

  /** The registration of a peer, if live. */
  get(peerId: PeerIdString): p2p.v1.IPeerInfo | undefined { this.expire(); return this.entries.get(peerId)?.info; }

  /** Drops a registration. */
  remove(peerId: PeerIdString): boolean { return this.entries.delete(peerId); }

  /**
   * Up to `limit` live peers, lightly loaded first; among similar loads the order is random so that askers do not
   * all get (and dial) the same peers.
   */
  list(limit: number, exclude: Set<PeerIdString>): p2p.v1.IPeerInfo[] {
    this.expire();
    const out: { info: p2p.v1.IPeerInfo; score: number }[] = [];
    for (const [id, e] of this.entries) {
      if (!exclude.has(id)) out.push({ info: e.info, score: (e.info.load ?? 0) + Math.random() * 3 });
    }
    out.sort((a, b) => a.score - b.score);
    return out.slice(0, limit).map((x) => x.info);
  }

  private expire(): void {
    const now = this.now();
    for (const [id, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(id);
  }
}
