import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createFairQueue, type Logger } from '@p2p/core';
import { DataDirError, InboxQuotaError, InboxWriteError } from '../errors.js';
import { appendRecords, openInboxFile, type InboxFile } from './inbox-file.js';
import { describeRefusal, InboxHealth } from './inbox-health.js';
import { completeLength, readLines, scanLines } from './inbox-lines.js';
import { rewriteInbox, type PruneOptions, type PruneResult } from './inbox-prune.js';
import { createInboxQuota, type InboxLimits, type QuotaRefusal } from './inbox-quota.js';
import { decodeInboxRecord, encodeInboxRecord, type InboxRecord } from './inbox-record.js';
import type { Inbox, InboxSnapshot, InboxStats } from './inbox-types.js';

/** Options of openInbox. */
export interface InboxOptions {
  /** The inbox file (JSON lines with a checksum each), created if missing. */
  path: string;
  /** Quotas: total bytes, each author's share and rate. */
  limits?: InboxLimits;
  /** Bytes waiting to be written at most, all authors together; default 16 MiB. */
  maxQueuedBytes?: number;
  /** Bytes of one author waiting to be written at most; default 4 MiB. */
  maxQueuedBytesPerSender?: number;
  /** Bytes written per group commit at most (at least one record); default 1 MiB. */
  batchBytes?: number;
  /** Where refusals, disk trouble and skipped records are reported. */
  logger?: Logger;
  /** Clock of the rate limits and of prune --older-than; Date.now by default. */
  now?: () => number;
  /** Wraps the file handle writes go through (tests inject faults). */
  wrapFile?: (fh: FileHandle) => InboxFile;
}

interface Queued {
  line: Buffer;
  record: InboxRecord;
  settle?: (err?: Error) => void;
}

class FileInbox implements Inbox {
  // Starts of the lines (records, and the odd damaged one): those found by the load scan, then those written since.
  private scanned: number[] = [];
  private written: number[] = [];
  private end: number;
  private dirty = false;
  private file: InboxFile;
  // Bounded by the checks in enqueue (before the quota is charged), so the queue itself takes every item.
  private readonly queue = createFairQueue<Queued>({ maxPerKey: Infinity, maxTotal: Infinity, weigh: (q) => q.line.length });
  private draining: Promise<void> | undefined;
  private lockTail: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(record: InboxRecord) => void>();
  private readonly quota;
  private readonly now: () => number;
  private readonly counters: Pick<InboxStats, 'bytes' | 'quotaBytes' | 'skipped' | 'loading'>;
  private readonly health: InboxHealth;
  private closed = false;
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly options: InboxOptions, private fh: FileHandle, size: number, skipped: number) {
    this.end = size;
    this.now = options.now ?? Date.now;
    this.quota = createInboxQuota(options.limits ?? {}, this.now, size);
    this.file = this.wrap(fh);
    this.counters = { bytes: size, quotaBytes: this.quota.limits.totalBytes, skipped, loading: true };
    this.health = new InboxHealth(options.path, this.now, options.logger);
  }

  private wrap(fh: FileHandle): InboxFile {
    return this.options.wrapFile ? this.options.wrapFile(fh) : fh;
  }

  /** Indexes the file in the background: the daemon serves (and stops) at once, whatever the inbox size. */
  startLoading(): void {
    const end = this.end;
    this.loading = (async () => {
      let broken = 0;
      for await (const lines of scanLines(this.fh, 0, end, () => this.closed)) {
        for (const line of lines) {
          this.scanned.push(line.offset);
          if (line.sender !== undefined) this.quota.loaded(line.sender, line.bytes);
          else broken++;
        }
      }
      this.counters.skipped += broken;
      if (broken > 0) this.options.logger?.warn({ path: this.options.path, skipped: broken }, 'inbox: skipped damaged records');
    })()
      .catch((err) => this.options.logger?.error({ err, path: this.options.path }, 'inbox: cannot read the stored messages'))
      .finally(() => (this.counters.loading = false));
  }

  // One writer at a time: group commits, snapshots and prunes never interleave.
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lockTail.then(fn, fn);
    this.lockTail = run.catch(() => undefined);
    return run;
  }

  private count(): number {
    return this.scanned.length + this.written.length;
  }

  private offsetAt(i: number): number {
    return i < this.scanned.length ? this.scanned[i]! : this.written[i - this.scanned.length]!;
  }

  append(record: InboxRecord): boolean {
    return this.enqueue(record) === undefined;
  }

  appendDurable(record: InboxRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      const refusal = this.enqueue(record, (err) => (err ? reject(err) : resolve()));
      if (refusal === 'closed') reject(new InboxWriteError('the inbox is closed'));
      else if (refusal) reject(new InboxQuotaError(refusal, describeRefusal(refusal)));
    });
  }

  private enqueue(record: InboxRecord, settle?: (err?: Error) => void): QuotaRefusal | 'closed' | undefined {
    if (this.closed) return 'closed';
    const line = Buffer.from(encodeInboxRecord(record));
    const sender = record.fromPeerId;
    const backlogged = this.queue.weight + line.length > (this.options.maxQueuedBytes ?? 16 * 1024 * 1024)
      || this.queue.weightOf(sender) + line.length > (this.options.maxQueuedBytesPerSender ?? 4 * 1024 * 1024);
    const refusal = backlogged ? 'backlog' : this.quota.admit(sender, line.length);
    if (refusal) {
      this.health.refused(refusal, sender, () => this.quota.usage());
      return refusal;
    }
    this.queue.push(sender, settle ? { line, record, settle } : { line, record });
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
    return undefined;
  }

  // Group commit in fair turns: each batch takes one record per author in turn, so a flood waits behind itself.
  private async drain(): Promise<void> {
    const batchBytes = this.options.batchBytes ?? 1024 * 1024;
    while (this.queue.length > 0) {
      const batch = this.queue.take(batchBytes);
      await this.exclusive(() => this.write(batch));
    }
  }

  private async write(batch: Queued[]): Promise<void> {
    if (this.dirty) {
      try {
        await this.file.truncate(this.end);
        this.dirty = false;
      } catch (err) {
        this.settleFailed(batch, err as NodeJS.ErrnoException);
        return;
      }
    }
    const outcome = await appendRecords(this.file, this.end, batch.map((q) => q.line));
    this.dirty = outcome.dirty === true;
    if (outcome.cut) this.options.logger?.warn({ path: this.options.path, bytes: outcome.cut, at: outcome.end }, 'inbox: cut a torn record off after a short write');
    for (const [i, q] of batch.entries()) {
      if (i >= outcome.kept) break;
      this.written.push(this.end);
      this.end += q.line.length;
      this.quota.committed(q.record.fromPeerId, q.line.length);
      q.settle?.();
      for (const listener of this.listeners) {
        try {
          listener(q.record);
        } catch (err) {
          this.options.logger?.error({ err }, 'inbox: a listener failed');
        }
      }
    }
    this.counters.bytes = this.end;
    if (outcome.error) this.settleFailed(batch.slice(outcome.kept), outcome.error);
    else this.health.writeSucceeded();
  }

  private settleFailed(batch: Queued[], err: NodeJS.ErrnoException): void {
    const detail = this.health.writeFailed(err, batch.length);
    for (const q of batch) {
      this.quota.failed(q.record.fromPeerId, q.line.length);
      q.settle?.(new InboxWriteError(detail));
    }
  }

  async snapshot(limit = 0, live?: (record: InboxRecord) => void): Promise<InboxSnapshot> {
    await this.loading;
    const { fh, start, end, count, unsubscribe } = await this.exclusive(async () => {
      const reader = await open(this.options.path, 'r');
      const total = this.count();
      const first = limit > 0 ? Math.max(0, total - limit) : 0;
      // Taken while no write can land, so `live` sees exactly the records after this snapshot.
      const stop = live ? this.subscribe(live) : () => undefined;
      return { fh: reader, start: first < total ? this.offsetAt(first) : this.end, end: this.end, count: total - first, unsubscribe: stop };
    });
    let isOpen = true;
    const close = async () => {
      if (isOpen) {
        isOpen = false;
        await fh.close().catch(() => undefined);
      }
    };
    async function* records(): AsyncGenerator<InboxRecord> {
      try {
        for await (const line of readLines(fh, start, end, () => !isOpen)) {
          const record = decodeInboxRecord(line.text);
          if (record) yield record;
        }
      } finally {
        await close();
      }
    }
    return { count, records: records(), unsubscribe, close };
  }

  setLimits(limits: InboxLimits): void {
    this.quota.setLimits(limits);
    this.counters.quotaBytes = this.quota.limits.totalBytes;
    this.options.logger?.info({ ...this.quota.limits }, 'inbox: new limits');
  }

  async prune(options: PruneOptions): Promise<PruneResult> {
    await this.loading;
    return this.exclusive(async () => {
      const before = { count: this.count(), bytes: this.end };
      if (options.all || options.keep === 0) {
        await this.fh.truncate(0);
        await this.fh.datasync();
        this.adopt([], new Map(), 0);
      } else {
        const kept = await rewriteInbox(this.fh, this.end, before.count, this.options.path, options, this.now());
        const old = this.fh;
        this.fh = await openInboxFile(this.options.path);
        this.file = this.wrap(this.fh);
        await old.close().catch(() => undefined);
        this.adopt(kept.offsets, kept.bySender, kept.size);
      }
      const result = { removed: before.count - this.count(), kept: this.count(), freedBytes: before.bytes - this.end };
      this.options.logger?.info({ ...options, ...result }, 'inbox: pruned');
      return result;
    });
  }

  private adopt(offsets: number[], bySender: Map<string, number>, size: number): void {
    this.scanned = offsets;
    this.written = [];
    this.end = size;
    this.dirty = false;
    this.counters.bytes = size;
    this.quota.replaceStored(bySender, size);
  }

  subscribe(listener: (record: InboxRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): InboxStats {
    const { queuedBytes } = this.quota.usage();
    const health = this.health.counters;
    return { ...this.counters, ...health, refused: { ...health.refused }, stored: this.count(), queuedBytes };
  }

  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loading;
    await this.flush();
    this.listeners.clear();
    await this.exclusive(() => this.fh.close());
  }
}

/** Opens (or creates, mode 0600) the inbox file, cuts off a torn last record, and indexes the rest in the background. */
export async function openInbox(options: InboxOptions): Promise<Inbox> {
  let fh: FileHandle;
  try {
    fh = await openInboxFile(options.path);
  } catch (err) {
    throw new DataDirError(dirname(options.path), `cannot open the inbox ${options.path} (${(err as NodeJS.ErrnoException).code})`);
  }
  let complete: number;
  let skipped = 0;
  try {
    const { size } = await fh.stat();
    complete = await completeLength(fh, size);
    if (complete < size) {
      skipped = 1;
      options.logger?.warn({ path: options.path, bytes: size - complete }, 'inbox: skipping a torn last record');
      await fh.truncate(complete);
    }
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw new DataDirError(dirname(options.path), `cannot read the inbox ${options.path} (${(err as Error).message})`);
  }
  const inbox = new FileInbox(options, fh, complete, skipped);
  inbox.startLoading();
  return inbox;
}
