import { createReadStream } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '@p2p/core';
import { DataDirError, InboxWriteError } from '../errors.js';
import { decodeInboxRecord, encodeInboxRecord, type InboxRecord } from './inbox-record.js';

/** Options of openInbox. */
export interface InboxOptions {
  /** The inbox file (JSON lines with a checksum each), created if missing. */
  path: string;
  /** Records kept in memory and, after compaction, on disk; default 10,000. */
  retain?: number;
  /** Bytes of text kept in memory at most; default 16 MiB. */
  maxMemoryBytes?: number;
  /** Bytes waiting to be written at most; beyond, new records are dropped and counted; default 8 MiB. */
  maxPendingBytes?: number;
  /** Where skipped records and write failures are reported. */
  logger?: Logger;
}

/** Counters of an inbox. */
export interface InboxStats {
  /** Records held (and listable). */
  stored: number;
  /** Records skipped when loading: torn or corrupted. */
  skipped: number;
  /** Records dropped because the disk could not keep up or failed. */
  dropped: number;
}

/** The durable inbox: an append-only file of received messages, with the newest ones held in memory. */
export interface Inbox {
  /** Queues a record for the file; it is listed and announced once fsync'd. False when dropped. */
  append(record: InboxRecord): boolean;
  /** Queues a record and resolves once it is fsync'd; rejects with InboxWriteError when it is dropped or cannot be written. */
  appendDurable(record: InboxRecord): Promise<void>;
  /** The stored records, oldest first; only the last `limit` when limit > 0. */
  list(limit?: number): InboxRecord[];
  /** Calls `listener` for every record once it is durable; returns the unsubscribe function. */
  subscribe(listener: (record: InboxRecord) => void): () => void;
  /** Counters. */
  stats(): InboxStats;
  /** Resolves once every queued record is on disk. */
  flush(): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

const NEWLINE = 0x0a;

// Offset just after the last newline: whatever follows it is a record torn by a crash mid-write.
async function completeLength(fh: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await fh.read(chunk, 0, end - start, start);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

class FileInbox implements Inbox {
  private records: InboxRecord[] = [];
  private memoryBytes = 0;
  private pending: { line: string; record: InboxRecord; settle?: (err?: Error) => void }[] = [];
  private pendingBytes = 0;
  private flushing: Promise<void> | undefined;
  private readonly listeners = new Set<(record: InboxRecord) => void>();
  private readonly counters: InboxStats = { stored: 0, skipped: 0, dropped: 0 };
  private fileRecords = 0;
  private closed = false;
  private readonly retain: number;
  private readonly maxMemoryBytes: number;
  private readonly maxPendingBytes: number;

  constructor(private readonly options: InboxOptions, private fh: FileHandle) {
    this.retain = options.retain ?? 10_000;
    this.maxMemoryBytes = options.maxMemoryBytes ?? 16 * 1024 * 1024;
    this.maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
  }

  async load(): Promise<void> {
    const { size } = await this.fh.stat();
    const complete = await completeLength(this.fh, size);
    if (complete < size) {
      this.counters.skipped++;
      this.options.logger?.warn({ path: this.options.path, bytes: size - complete }, 'inbox: skipping a torn last record');
      await this.fh.truncate(complete);
    }
    if (complete > 0) {
      const lines = createInterface({ input: createReadStream(this.options.path, { end: complete - 1 }), crlfDelay: Infinity });
      for await (const line of lines) {
        this.fileRecords++;
        const record = decodeInboxRecord(line);
        if (record) this.remember(record);
        else this.counters.skipped++;
      }
      if (this.counters.skipped > (complete < size ? 1 : 0)) {
        this.options.logger?.warn({ path: this.options.path, skipped: this.counters.skipped }, 'inbox: skipped corrupted records');
      }
    }
    if (this.fileRecords > 2 * this.retain) await this.compact();
  }

  private remember(record: InboxRecord): void {
    this.records.push(record);
    this.memoryBytes += record.text.length + 128;
    while (this.records.length > this.retain || (this.memoryBytes > this.maxMemoryBytes && this.records.length > 1)) {
      const old = this.records.shift()!;
      this.memoryBytes -= old.text.length + 128;
    }
    this.counters.stored = this.records.length;
  }

  // Rewrites the file with the records held in memory, atomically (temp file, fsync, rename), so the file
  // stays bounded however long the daemon runs.
  private async compact(): Promise<void> {
    const tmp = `${this.options.path}.tmp`;
    const out = await open(tmp, 'w', 0o600);
    try {
      await out.writeFile(this.records.map(encodeInboxRecord).join(''));
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, this.options.path);
    await this.fh.close();
    this.fh = await open(this.options.path, 'a+', 0o600);
    this.fileRecords = this.records.length;
    const dir = await open(dirname(this.options.path), 'r');
    await dir.sync().finally(() => dir.close());
  }

  appendDurable(record: InboxRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (err?: Error) => (err ? reject(err) : resolve());
      if (!this.enqueue(record, settle)) reject(new InboxWriteError('the inbox is closed or its writes are falling behind'));
    });
  }

  append(record: InboxRecord): boolean {
    return this.enqueue(record);
  }

  private enqueue(record: InboxRecord, settle?: (err?: Error) => void): boolean {
    if (this.closed) return false;
    const line = encodeInboxRecord(record);
    if (this.pendingBytes + line.length > this.maxPendingBytes) {
      this.counters.dropped++;
      this.options.logger?.warn({ id: record.id }, 'inbox: writes are falling behind, message dropped');
      return false;
    }
    this.pending.push(settle ? { line, record, settle } : { line, record });
    this.pendingBytes += line.length;
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return true;
  }

  // Group commit: every record queued while the previous write+fsync ran goes out in the next one.
  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      try {
        await this.fh.write(batch.map((p) => p.line).join(''));
        await this.fh.datasync();
      } catch (err) {
        this.counters.dropped += batch.length;
        this.options.logger?.error({ err, count: batch.length }, 'inbox: cannot write to the inbox file');
        for (const p of batch) p.settle?.(new InboxWriteError(`cannot write to the inbox file: ${(err as Error).message}`));
        continue;
      }
      this.fileRecords += batch.length;
      for (const { record, settle } of batch) {
        settle?.();
        this.remember(record);
        for (const listener of this.listeners) listener(record);
      }
      if (this.fileRecords > 2 * this.retain) {
        await this.compact().catch((err) => this.options.logger?.error({ err }, 'inbox: compaction failed'));
      }
    }
  }

  list(limit = 0): InboxRecord[] {
    return limit > 0 ? this.records.slice(-limit) : this.records.slice();
  }

  subscribe(listener: (record: InboxRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): InboxStats {
    return { ...this.counters };
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.listeners.clear();
    await this.fh.close();
  }
}

/** Opens (or creates, mode 0600) the inbox file, loading its records and cutting off a torn last one. */
export async function openInbox(options: InboxOptions): Promise<Inbox> {
  let fh: FileHandle;
  try {
    fh = await open(options.path, 'a+', 0o600);
  } catch (err) {
    throw new DataDirError(dirname(options.path), `cannot open the inbox ${options.path} (${(err as NodeJS.ErrnoException).code})`);
  }
  const inbox = new FileInbox(options, fh);
  try {
    await inbox.load();
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw new DataDirError(dirname(options.path), `cannot read the inbox ${options.path} (${(err as Error).message})`);
  }
  return inbox;
}
