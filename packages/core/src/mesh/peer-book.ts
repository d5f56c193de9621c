import type { HostPort } from '../transport/host-port.js';
import type { NodeRole } from '../identity/node-role.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { systemClock, type Clock } from '../util/clock.js';

/** Where the node learned about a peer. */
export type PeerSource = 'lan' | 'seed' | 'session' | 'config' | 'stored';

/** What the node knows about one peer. */
export interface PeerRecord {
  /** The peer's ID. */
  peerId: PeerIdString;
  /** Its name as last heard. */
  name: string;
  /** Where to dial it. */
  address: HostPort;
  /** True once an authenticated session vouched for this address (an announcement cannot overwrite it then). */
  verified: boolean;
  /**
   * True once a dial to this very address completed a handshake with the peer's key. Until then the address is
   * unproven: dials to it are capped node-wide, and one failed dial forgets the entry.
   */
  reached: boolean;
  /** Its role. */
  role: NodeRole;
  /** Its session count as last reported. */
  load: number;
  /** Per-process random value of its last announcement or Hello, hex. */
  instanceId?: string;
  /** How it was learned. */
  source: PeerSource;
  /** Clock time (ms) when last heard of. */
  lastSeenAt: number;
  /** Consecutive failed dials. */
  failures: number;
  /** Clock time before which it is not dialled again. */
  nextDialAt: number;
  /** Clock time until which it counts as dead. */
  deadUntil: number;
}

/** Backoff of failed dials. */
export interface BackoffOptions {
  /** First delay; default 500 ms. */
  baseMs?: number;
  /** Largest delay; default 30000 ms. */
  maxMs?: number;
}

/** Delay before the next dial after `failures` failures: exponential, capped, with +-25% jitter. */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const d = Math.min(max, base * 2 ** Math.max(0, failures - 1));
  return Math.round(d * (0.75 + Math.random() * 0.5));
}

/**
 * The node's book of known peers, bounded in size. Entries no handshake has proven (heard in an announcement, read
 * in a seed's list) have a cap of their own, so forged announcements can neither crowd out proven peers nor grow
 * the table, and such an entry is forgotten after one failed dial.
 */
export class PeerBook {
  private readonly records = new Map<PeerIdString, PeerRecord>();
  // Unproven peer IDs, oldest learned first, and the same grouped by the host they would be dialled at.
  private readonly unproven = new Map<PeerIdString, string>();
  private readonly unprovenByHost = new Map<string, Set<PeerIdString>>();

  /**
   * `maxUnproven` caps the entries no handshake proved; `maxUnprovenPerHost` caps them per address host, so one
   * source of forged announcements churns only its own entries and never pushes out another host's.
   */
  constructor(
    private readonly self: PeerIdString, private readonly capacity = 10_000, private readonly backoff: BackoffOptions = {},
    private readonly maxUnproven = 256, private readonly maxUnprovenPerHost = 32,
    /** Time source of hold-offs, backoff and death marks; the process clock by default. */
    private readonly clock: Clock = systemClock,
  ) {}

  /** Number of records. */
  get size(): number { return this.records.size; }

  /** Number of records no handshake has proven. */
  get unprovenCount(): number { return this.unproven.size; }

  /** The record of a peer. */
  get(peerId: PeerIdString): PeerRecord | undefined { return this.records.get(peerId); }

  /** Every record. */
  all(): PeerRecord[] { return [...this.records.values()]; }

  /**
   * Adds or refreshes a peer. An unverified address (announcement, seed list) never replaces one proven by a
   * session: a forged announcement must not redirect future dials. Returns the record and whether it is new.
   */
  learn(info: { peerId: PeerIdString; name?: string; address: HostPort; role?: NodeRole; load?: number; instanceId?: string },
    source: PeerSource, verified = false): { record: PeerRecord; isNew: boolean } | undefined {
    if (info.peerId === this.self) return undefined;
    const now = this.clock.now();
    let record = this.records.get(info.peerId);
    const isNew = !record;
    if (!record) {
      if (!verified) {
        const sameHost = this.unprovenByHost.get(info.address.host);
        if (sameHost && sameHost.size >= this.maxUnprovenPerHost) this.remove(sameHost.values().next().value!);
        else if (this.unproven.size >= this.maxUnproven) this.remove(this.unproven.keys().next().value!);
      }
      if (this.records.size >= this.capacity) this.evict();
      record = {
        peerId: info.peerId, name: info.name ?? '', address: info.address, verified, reached: false, role: info.role ?? 'peer',
        load: info.load ?? 0, source, lastSeenAt: now, failures: 0, nextDialAt: 0, deadUntil: 0,
      };
      if (info.instanceId) record.instanceId = info.instanceId;
      this.records.set(info.peerId, record);
      if (!verified) this.markUnproven(info.peerId, info.address.host);
      return { record, isNew };
    }
    if (verified || !record.verified) {
      if (record.address.host !== info.address.host || record.address.port !== info.address.port) {
        // A new address has to be reached anew.
        record.reached = false;
        if (verified) record.failures = 0;
      }
      if (!record.verified && !verified && record.address.host !== info.address.host) {
        this.unmarkUnproven(info.peerId);
        this.markUnproven(info.peerId, info.address.host);
      }
      record.address = info.address;
    }
    if (verified) {
      record.verified = true;
      this.unmarkUnproven(info.peerId);
    }
    if (info.name) record.name = info.name;
    if (info.role) record.role = info.role;
    if (info.load !== undefined) record.load = info.load;
    if (info.instanceId && info.instanceId !== record.instanceId) {
      // A new instance: the peer restarted, so an old death verdict and backoff no longer apply.
      if (record.instanceId !== undefined) { record.deadUntil = 0; record.failures = 0; record.nextDialAt = 0; }
      record.instanceId = info.instanceId;
    }
    record.lastSeenAt = now;
    return { record, isNew };
  }

  /** A dial to `address` completed a handshake with the peer's key: the address is proven reachable. */
  reachedAt(peerId: PeerIdString, address: HostPort): void {
    const r = this.records.get(peerId);
    if (!r || r.address.host !== address.host || r.address.port !== address.port) return;
    r.reached = true;
    r.verified = true;
    this.unmarkUnproven(peerId);
  }

  /**
   * A dial to the peer failed: back off exponentially. An address proven wrong loses its verified mark; an address
   * never reached is forgotten at once (the peer is learned again if it is really there and announces itself,
   * registers, or connects).
   */
  dialFailed(peerId: PeerIdString, identityMismatch = false): void {
    const r = this.records.get(peerId);
    if (!r) return;
    if (!r.reached) {
      this.remove(peerId);
      return;
    }
    r.failures++;
    r.nextDialAt = this.clock.now() + backoffDelay(r.failures, this.backoff);
    if (identityMismatch) {
      r.verified = false;
      r.reached = false;
      this.markUnproven(peerId, r.address.host);
    }
  }

  /** Keeps the node from dialling the peer for `ms` (it refused us or trimmed us). */
  holdOff(peerId: PeerIdString, ms: number): void {
    const r = this.records.get(peerId);
    if (r) r.nextDialAt = Math.max(r.nextDialAt, this.clock.now() + ms);
  }

  /** A session with the peer is up. */
  connected(peerId: PeerIdString): void {
    const r = this.records.get(peerId);
    if (!r) return;
    r.failures = 0;
    r.nextDialAt = 0;
    r.deadUntil = 0;
    r.lastSeenAt = this.clock.now();
  }

  /** The peer was found dead: not dialled for `ms` unless it shows up again as a new instance. */
  markDead(peerId: PeerIdString, ms: number): void {
    const r = this.records.get(peerId);
    if (!r) return;
    r.deadUntil = this.clock.now() + ms;
    r.nextDialAt = Math.max(r.nextDialAt, r.deadUntil);
    r.failures++;
  }

  /** Forgets a peer. */
  remove(peerId: PeerIdString): void {
    this.records.delete(peerId);
    this.unmarkUnproven(peerId);
  }

  private markUnproven(peerId: PeerIdString, host: string): void {
    this.unproven.set(peerId, host);
    let set = this.unprovenByHost.get(host);
    if (!set) this.unprovenByHost.set(host, (set = new Set()));
    set.add(peerId);
  }

  private unmarkUnproven(peerId: PeerIdString): void {
    const host = this.unproven.get(peerId);
    if (host === undefined) return;
    this.unproven.delete(peerId);
    const set = this.unprovenByHost.get(host);
    set?.delete(peerId);
    if (set?.size === 0) this.unprovenByHost.delete(host);
  }

  /** True when the peer is within its death verdict. */
  isDead(peerId: PeerIdString, now = this.clock.now()): boolean {
    return (this.records.get(peerId)?.deadUntil ?? 0) > now;
  }

  /**
   * Up to `limit` peers worth dialling now, lightly loaded first with a random spread so that every joining node
   * does not pick the same few peers. Linear in the book size (no full sort), since it runs on every mesh round.
   */
  candidates(exclude: (peerId: PeerIdString) => boolean, limit = Infinity, now = this.clock.now()): PeerRecord[] {
    const eligible = (r: PeerRecord): boolean => r.nextDialAt <= now && r.deadUntil <= now && !exclude(r.peerId);
    // Recent failures weigh more than load: a peer that just failed (crashed, frozen, refused) is tried last.
    const scoreOf = (r: PeerRecord): number => r.load + Math.random() * 3 + r.failures * 10;
    const best: { r: PeerRecord; score: number }[] = [];
    const byHost = new Map<string, { r: PeerRecord; score: number }[]>();
    for (const r of this.records.values()) {
      if (!eligible(r)) continue;
      const score = scoreOf(r);
      if (!r.reached) {
        let g = byHost.get(r.address.host);
        if (!g) byHost.set(r.address.host, (g = []));
        g.push({ r, score });
        continue;
      }
      if (best.length < limit) {
        best.push({ r, score });
        continue;
      }
      let worst = 0;
      for (let i = 1; i < best.length; i++) if (best[i]!.score > best[worst]!.score) worst = i;
      if (best[worst]!.score > score) best[worst] = { r, score };
    }
    best.sort((a, b) => a.score - b.score);
    const out = best.map((x) => x.r);
    if (out.length >= limit) return out;
    // Reached addresses first; then the others taken from each host in turn, so a host that announced hundreds
    // of made-up peers gets no more of the dials than a host that announced one real peer.
    const groups = [...byHost.values()].map((g) => g.sort((a, b) => a.score - b.score).map((x) => x.r));
    groups.sort(() => Math.random() - 0.5);
    for (let i = 0; out.length < limit; i++) {
      let took = false;
      for (const g of groups) {
        if (i < g.length && out.length < limit) { out.push(g[i]!); took = true; }
      }
      if (!took) break;
    }
    return out;
  }

  private evict(): void {
    let oldest: PeerRecord | undefined;
    for (const r of this.records.values()) if (!oldest || r.lastSeenAt < oldest.lastSeenAt) oldest = r;
    if (oldest) this.remove(oldest.peerId);
  }
}
