import type { PruneOptions, PruneResult } from './inbox-prune.js';
import type { InboxLimits, QuotaRefusal } from './inbox-quota.js';
import type { InboxRecord } from './inbox-record.js';

/** State of the disk under the inbox: fine, full (ENOSPC/EDQUOT), or failing otherwise. */
export type InboxDiskState = 'ok' | 'full' | 'error';

/** Counters and state of an inbox. */
export interface InboxStats {
  /** Records held (lines of the file; a damaged one among them is skipped when listed). */
  stored: number;
  /** Bytes of the inbox file. */
  bytes: number;
  /** Bytes the inbox file may hold at most. */
  quotaBytes: number;
  /** Bytes admitted and waiting to be written. */
  queuedBytes: number;
  /** Lines skipped when loading: a torn last record, lines that are not records. */
  skipped: number;
  /** Records not kept since start: refused by a quota or failed to write. */
  dropped: number;
  /** Records refused since start, by the limit that refused them. */
  refused: Record<QuotaRefusal, number>;
  /** Failed writes (batches) since start. */
  writeErrors: number;
  /** The disk's state as the last write found it. */
  disk: InboxDiskState;
  /** The last write error. */
  lastError?: { code: string; message: string; at: string };
  /** True while the stored records are still being indexed after a start. */
  loading: boolean;
}

/** The stored records at one moment, read lazily from the file. */
export interface InboxSnapshot {
  /** How many records the snapshot holds. */
  count: number;
  /** The records, oldest first; read from the file as they are consumed (the handle closes at the end). */
  records: AsyncIterable<InboxRecord>;
  /** Stops the live listener given to snapshot(). */
  unsubscribe(): void;
  /** Releases the file handle (done by itself once `records` is read to the end). */
  close(): Promise<void>;
}

/** The durable inbox: an append-only file of received messages under quotas, indexed in memory by offset only. */
export interface Inbox {
  /** Queues a record (a broadcast, say) without waiting for it; false when a quota refused it or the inbox is closed. */
  append(record: InboxRecord): boolean;
  /**
   * Queues a record and resolves once it is written whole and synced; rejects with InboxQuotaError (code
   * ERR_INBOX_FULL) when a quota refuses it, InboxWriteError when it cannot be written (the disk is full...).
   */
  appendDurable(record: InboxRecord): Promise<void>;
  /**
   * The stored records (only the last `limit` when limit > 0). When `live` is given it is subscribed at the very
   * moment of the snapshot: the two together neither miss nor repeat a record.
   */
  snapshot(limit?: number, live?: (record: InboxRecord) => void): Promise<InboxSnapshot>;
  /** Puts new quotas in force (a reload); nothing stored is removed. */
  setLimits(limits: InboxLimits): void;
  /** Removes stored records to make room; resolves with what was removed. */
  prune(options: PruneOptions): Promise<PruneResult>;
  /** Calls `listener` for every record once it is durable; returns the unsubscribe function. */
  subscribe(listener: (record: InboxRecord) => void): () => void;
  /** Counters and state. */
  stats(): InboxStats;
  /** Resolves once every queued record is written (or failed). */
  flush(): Promise<void>;
  /** Stops loading, flushes and closes the file. */
  close(): Promise<void>;
}
