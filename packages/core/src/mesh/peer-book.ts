import type { HostPort } from '../transport/host-port.js';
import type { NodeRole } from '../identity/node-role.js';
import type { PeerIdString } from '../identity/peer-id.js';

/** Where the node learned about a peer. */
export type PeerSource = 'lan' | 'seed' | 'session' | 'config';

/** What the node knows about one peer. */
export interface PeerRecord {
  /** The peer's ID. */
  peerId: PeerIdString;
  /** Its name as last heard. */
  name: string;
  /** Where to dial it. */
  address: HostPort;
  /** True once a session was authenticated at this address (an announcement cannot overwrite it then). */
  verified: boolean;
  /** Its role. */
  role: NodeRole;
  /** Its session count as last reported. */
  load: number;
  /** Per-process random value of its last announcement or Hello, hex. */
  instanceId?: string;
  /** How it was learned. */
  source: PeerSource;
  /** Date.now() when last heard of. */
  lastSeenAt: number;
  /** Consecutive failed dials. */
  failures: number;
  /** Date.now() before which it is not dialled again. */
  nextDialAt: number;
  /** Date.now() until which it counts as dead. */
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

/** The node's book of known peers, bounded in size. */
export class PeerBook {
  private readonly records = new Map<PeerIdString, PeerRecord>();

  constructor(private readonly self: PeerIdString, private readonly capacity = 10_000, private readonly backoff: BackoffOptions = {}) {}

  /** Number of records. */
  get size(): number { return this.records.size; }

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
    const now = Date.now();
    let record = this.records.get(info.peerId);
    const isNew = !record;
    if (!record) {
      if (this.records.size >= this.capacity) this.evict();
      record = {
        peerId: info.peerId, name: info.name ?? '', address: info.address, verified, role: info.role ?? 'peer',
        load: info.load ?? 0, source, lastSeenAt: now, failures: 0, nextDialAt: 0, deadUntil: 0,
      };
      if (info.instanceId) record.instanceId = info.instanceId;
      this.records.set(info.peerId, record);
      return { record, isNew };
    }
    if (verified || !record.verified) {
      if (verified && (record.address.host !== info.address.host || record.address.port !== info.address.port)) record.failures = 0;
      record.address = info.address;
    }
    if (verified) record.verified = true;
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

  /** A dial to the peer failed: back off exponentially. An address proven wrong loses its verified mark. */
  dialFailed(peerId: PeerIdString, identityMismatch = false): void {
    const r = this.records.get(peerId);
    if (!r) return;
    r.failures++;
    r.nextDialAt = Date.now() + backoffDelay(r.failures, this.backoff);
    if (identityMismatch) r.verified = false;
  }

  /** Keeps the node from dialling the peer for `ms` (it refused us or trimmed us). */
  holdOff(peerId: PeerIdString, ms: number): void {
    const r = this.records.get(peerId);
    if (r) r.nextDialAt = Math.max(r.nextDialAt, Date.now() + ms);
  }

  /** A session with the peer is up. */
  connected(peerId: PeerIdString): void {
    const r = this.records.get(peerId);
    if (!r) return;
    r.failures = 0;
    r.nextDialAt = 0;
    r.deadUntil = 0;
    r.lastSeenAt = Date.now();
  }

  /** The peer was found dead: not dialled for `ms` unless it shows up again as a new instance. */
  markDead(peerId: PeerIdString, ms: number): void {
    const r = this.records.get(peerId);
    if (!r) return;
    r.deadUntil = Date.now() + ms;
    r.nextDialAt = Math.max(r.nextDialAt, r.deadUntil);
    r.failures++;
  }

  /** Forgets a peer. */
  remove(peerId: PeerIdString): void { this.records.delete(peerId); }

  /** True when the peer is within its death verdict. */
  isDead(peerId: PeerIdString, now = Date.now()): boolean {
    return (this.records.get(peerId)?.deadUntil ?? 0) > now;
  }

  /**
   * Up to `limit` peers worth dialling now, lightly loaded first with a random spread so that every joining node
   * does not pick the same few peers. Linear in the book size (no full sort), since it runs on every mesh round.
   */
  candidates(exclude: (peerId: PeerIdString) => boolean, limit = Infinity, now = Date.now()): PeerRecord[] {
    const best: { r: PeerRecord; score: number }[] = [];
    for (const r of this.records.values()) {
      if (r.nextDialAt > now || r.deadUntil > now || exclude(r.peerId)) continue;
      // Recent failures weigh more than load: a peer that just failed (crashed, frozen, refused) is tried last.
      const score = r.load + Math.random() * 3 + r.failures * 10;
      if (best.length < limit) {
        best.push({ r, score });
        continue;
      }
      let worst = 0;
      for (let i = 1; i < best.length; i++) if (best[i]!.score > best[worst]!.score) worst = i;
      if (best[worst]!.score > score) best[worst] = { r, score };
    }
    best.sort((a, b) => a.score - b.score);
    return best.map((x) => x.r);
  }

  private evict(): void {
    let oldest: PeerRecord | undefined;
    for (const r of this.records.values()) if (!oldest || r.lastSeenAt < oldest.lastSeenAt) oldest = r;
    if (oldest) this.records.delete(oldest.peerId);
  }
}
