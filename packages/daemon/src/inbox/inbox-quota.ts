/**
 * Why the inbox refuses a record: it is full, the author holds its whole share, the author sends too fast, or the
 * author's records wait to be written in such numbers that the disk cannot keep up.
 */
export type QuotaRefusal = 'total' | 'sender-share' | 'sender-rate' | 'backlog';

/** Limits of the inbox; every field has a default. */
export interface InboxLimits {
  /** Bytes the inbox file may hold at most (stored plus queued); default 256 MiB. */
  totalBytes?: number;
  /** Bytes one author may hold at most; default a quarter of totalBytes. */
  senderShareBytes?: number;
  /** Messages per second one author may add, sustained; default 20. */
  senderRate?: number;
  /** Messages one author may add at once after a quiet spell; default 10 x senderRate. */
  senderBurst?: number;
  /** Bytes per second one author may add, sustained; default 1 MiB. */
  senderByteRate?: number;
  /** Bytes one author may add at once; default 8 MiB (at least one record of the largest frame). */
  senderByteBurst?: number;
  /** Authors whose rate is tracked at once (least recently seen forgotten first); default 10,000. */
  maxTrackedSenders?: number;
}

/** Default total quota of the inbox file, bytes. */
export const DEFAULT_INBOX_QUOTA_BYTES = 256 * 1024 * 1024;

/** InboxLimits with every default filled in. */
export type ResolvedInboxLimits = Required<InboxLimits>;

/** Fills in the defaults of `limits`. */
export function resolveInboxLimits(limits: InboxLimits = {}): ResolvedInboxLimits {
  const totalBytes = limits.totalBytes ?? DEFAULT_INBOX_QUOTA_BYTES;
  const senderRate = limits.senderRate ?? 20;
  return {
    totalBytes,
    senderShareBytes: Math.min(totalBytes, limits.senderShareBytes ?? Math.floor(totalBytes / 4)),
    senderRate,
    senderBurst: limits.senderBurst ?? Math.max(1, senderRate * 10),
    senderByteRate: limits.senderByteRate ?? 1024 * 1024,
    senderByteBurst: limits.senderByteBurst ?? 8 * 1024 * 1024,
    maxTrackedSenders: limits.maxTrackedSenders ?? 10_000,
  };
}

/**
 * Admission and accounting of the inbox's bytes: the total and each author's share of what is stored or queued,
 * and each author's rate (token buckets on messages and bytes). Pure: time comes from `now`.
 */
export interface InboxQuota {
  /** Whether a record of `bytes` from `sender` may be queued now; on success it is counted as queued. */
  admit(sender: string, bytes: number): QuotaRefusal | undefined;
  /** A queued record reached the file. */
  committed(sender: string, bytes: number): void;
  /** A queued record could not be written: its bytes are free again. */
  failed(sender: string, bytes: number): void;
  /** Records already in the file (found when loading) count as stored. */
  loaded(sender: string, bytes: number): void;
  /** The file was rewritten: stored bytes are now exactly these (queued ones are kept). */
  replaceStored(bySender: ReadonlyMap<string, number>, totalBytes: number): void;
  /** Bytes stored and queued, and how many authors have stored records. */
  usage(): { storedBytes: number; queuedBytes: number; senders: number };
  /** Bytes `sender` holds (stored and queued). */
  heldBy(sender: string): number;
  /** The limits in force. */
  readonly limits: ResolvedInboxLimits;
  /** Puts new limits in force; what is stored stays (a lower quota refuses new records until room is made). */
  setLimits(limits: InboxLimits): void;
}

interface Bucket {
  messages: number;
  bytes: number;
  at: number;
}

/** Creates the quota of an inbox that holds `storedBytes` already (its sizes per author follow through loaded()). */
export function createInboxQuota(limits: InboxLimits, now: () => number, storedBytes = 0): InboxQuota {
  let l = resolveInboxLimits(limits);
  let stored = storedBytes;
  let queued = 0;
  const storedBy = new Map<string, number>();
  const queuedBy = new Map<string, number>();
  const buckets = new Map<string, Bucket>();

  const add = (map: Map<string, number>, sender: string, delta: number): void => {
    const next = (map.get(sender) ?? 0) + delta;
    if (next > 0) map.set(sender, next);
    else map.delete(sender);
  };
  const heldBy = (sender: string): number => (storedBy.get(sender) ?? 0) + (queuedBy.get(sender) ?? 0);

  // Refilled on use; the Map's order doubles as least-recently-seen, so the table stays bounded.
  const bucketOf = (sender: string): Bucket => {
    const t = now();
    let b = buckets.get(sender);
    if (b) {
      buckets.delete(sender);
      const elapsed = Math.max(0, t - b.at) / 1000;
      b.messages = Math.min(l.senderBurst, b.messages + elapsed * l.senderRate);
      b.bytes = Math.min(l.senderByteBurst, b.bytes + elapsed * l.senderByteRate);
      b.at = t;
    } else {
      b = { messages: l.senderBurst, bytes: l.senderByteBurst, at: t };
      if (buckets.size >= l.maxTrackedSenders) buckets.delete(buckets.keys().next().value!);
    }
    buckets.set(sender, b);
    return b;
  };

  return {
    get limits() {
      return l;
    },
    setLimits(next) {
      l = resolveInboxLimits(next);
    },
    admit(sender, bytes) {
      if (stored + queued + bytes > l.totalBytes) return 'total';
      if (heldBy(sender) + bytes > l.senderShareBytes) return 'sender-share';
      const b = bucketOf(sender);
      // A record larger than the byte burst could never pass otherwise: it only needs a full bucket.
      const cost = Math.min(bytes, l.senderByteBurst);
      if (b.messages < 1 || b.bytes < cost) return 'sender-rate';
      b.messages -= 1;
      b.bytes -= cost;
      queued += bytes;
      add(queuedBy, sender, bytes);
      return undefined;
    },
    committed(sender, bytes) {
      queued -= bytes;
      stored += bytes;
      add(queuedBy, sender, -bytes);
      add(storedBy, sender, bytes);
    },
    failed(sender, bytes) {
      queued -= bytes;
      add(queuedBy, sender, -bytes);
    },
    loaded(sender, bytes) {
      add(storedBy, sender, bytes);
    },
    replaceStored(bySender, totalBytes) {
      storedBy.clear();
      for (const [sender, bytes] of bySender) add(storedBy, sender, bytes);
      stored = totalBytes;
    },
    usage: () => ({ storedBytes: stored, queuedBytes: queued, senders: storedBy.size }),
    heldBy,
  };
}
