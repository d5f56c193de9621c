import type { p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';

/** One registration. */
interface Entry {
  info: p2p.v1.IPeerInfo;
  /** Source address of the session it came from (the host it was registered at). */
  source: string;
  expiresAt: number;
  /** Clock time of the last Register. */
  renewedAt: number;
  /** True once the seed saw a handshake with this key complete at this address (dialled back, or dialled). */
  verified: boolean;
}

/** Options of a seed registry. */
export interface SeedRegistryOptions {
  /** How long a registration lasts without renewal, ms. */
  ttlMs: number;
  /** Most registrations kept; default 10000 (the oldest expiring first are dropped beyond it). */
  capacity?: number;
  /** Most live registrations from one source address; default 16 (that address's oldest is replaced). */
  perSource?: number;
  /** Clock; default Date.now. */
  now?: () => number;
  /** Random source in [0, 1), to spread askers over peers of similar standing; default Math.random. */
  random?: () => number;
}

/** What register() did. */
export interface Registration {
  /** TTL granted, ms. */
  ttlMs: number;
  /** True when the address still needs proving (a dial back) before the peer is handed out. */
  needsProof: boolean;
}

/**
 * A seed's registry of live peers: registrations that expire unless renewed. A peer is handed out only once the seed
 * has seen a handshake with its key complete at its registered address, so a Register costs its sender a reachable
 * listener per entry; and one source address holds a bounded number of entries, so junk from one host cannot bury
 * the real peers.
 */
export class SeedRegistry {
  private readonly entries = new Map<PeerIdString, Entry>();
  private readonly perSourceCount = new Map<string, number>();
  private readonly capacity: number;
  private readonly perSource: number;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: SeedRegistryOptions) {
    this.capacity = options.capacity ?? 10_000;
    this.perSource = Math.max(1, options.perSource ?? 16);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Live registrations, verified or not. */
  get size(): number { this.expire(); return this.entries.size; }

  /** Live registrations whose address is verified (the ones handed out). */
  get verifiedSize(): number { this.expire(); let n = 0; for (const e of this.entries.values()) if (e.verified) n++; return n; }

  /** True when the peer holds a live registration whose address the seed proved. */
  isVerified(peerId: PeerIdString): boolean { this.expire(); return this.entries.get(peerId)?.verified === true; }

  /** True when the peer holds a live registration. */
  has(peerId: PeerIdString): boolean { this.expire(); return this.entries.has(peerId); }

  /**
   * Adds or renews a registration made over a session from `source` (the session's remote host, which must also
   * be info.host). `verified` says the seed already saw a handshake complete at that address.
   */
  register(peerId: PeerIdString, info: p2p.v1.IPeerInfo, source: string, verified = false): Registration {
    this.expire();
    const now = this.now();
    const old = this.entries.get(peerId);
    const sameAddress = old !== undefined && old.info.host === info.host && old.info.port === info.port;
    if (old) this.drop(peerId);
    else {
      if ((this.perSourceCount.get(source) ?? 0) >= this.perSource) this.dropOldest((e) => e.source === source);
      if (this.entries.size >= this.capacity) this.dropOldest(() => true);
    }
    const entry: Entry = {
      info: { ...info, seenAtMs: now }, source, expiresAt: now + this.options.ttlMs, renewedAt: now,
      verified: verified || (sameAddress && old.verified),
    };
    this.entries.set(peerId, entry);
    this.perSourceCount.set(source, (this.perSourceCount.get(source) ?? 0) + 1);
    return { ttlMs: this.options.ttlMs, needsProof: !entry.verified };
  }

  /** A handshake with the peer's key completed at `address`: if that is its registered address, it is handed out from now on. */
  verify(peerId: PeerIdString, address: { host: string; port: number }): boolean {
    const e = this.entries.get(peerId);
    if (!e || e.info.host !== address.host || e.info.port !== address.port) return false;
    e.verified = true;
    return true;
  }

  /** Updates the load of a registered peer (from its pongs). */
  updateLoad(peerId: PeerIdString, load: number): void {
    const e = this.entries.get(peerId);
    if (e) e.info.load = load;
  }

  /** The registration of a peer, if live. */
  get(peerId: PeerIdString): p2p.v1.IPeerInfo | undefined { this.expire(); return this.entries.get(peerId)?.info; }

  /** Drops a registration. */
  remove(peerId: PeerIdString): boolean { return this.drop(peerId); }

  /**
   * Up to `limit` live, verified peers: freshest (renewed last) and least loaded first; among peers of similar
   * standing the order is random so that askers do not all get (and dial) the same ones.
   */
  list(limit: number, exclude: Set<PeerIdString>): p2p.v1.IPeerInfo[] {
    this.expire();
    const now = this.now();
    const out: { info: p2p.v1.IPeerInfo; score: number }[] = [];
    for (const [id, e] of this.entries) {
      if (!e.verified || exclude.has(id)) continue;
      // One load unit weighs like a quarter of a TTL without renewal.
      const staleness = (4 * (now - e.renewedAt)) / this.options.ttlMs;
      out.push({ info: e.info, score: (e.info.load ?? 0) + staleness + this.random() * 2 });
    }
    out.sort((a, b) => a.score - b.score);
    return out.slice(0, limit).map((x) => x.info);
  }

  private drop(peerId: PeerIdString): boolean {
    const e = this.entries.get(peerId);
    if (!e) return false;
    this.entries.delete(peerId);
    const n = (this.perSourceCount.get(e.source) ?? 1) - 1;
    if (n > 0) this.perSourceCount.set(e.source, n);
    else this.perSourceCount.delete(e.source);
    return true;
  }

  private dropOldest(match: (e: Entry) => boolean): void {
    let first: PeerIdString | undefined;
    let firstAt = Infinity;
    for (const [id, e] of this.entries) if (match(e) && e.expiresAt < firstAt) { first = id; firstAt = e.expiresAt; }
    if (first) this.drop(first);
  }

  private expire(): void {
    const now = this.now();
    for (const [id, e] of this.entries) if (e.expiresAt <= now) this.drop(id);
  }
}
