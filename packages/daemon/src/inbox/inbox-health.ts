import type { Logger } from '@p2p/core';
import { isNoSpace } from './inbox-file.js';
import type { QuotaRefusal } from './inbox-quota.js';
import type { InboxStats } from './inbox-types.js';

/** Least time between two warnings about refused messages; the ones between are counted into the next. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

/** A refusal in words, for the log and the error the sender's refusal carries. */
export function describeRefusal(reason: QuotaRefusal): string {
  switch (reason) {
    case 'total': return 'the inbox is full';
    case 'sender-share': return "the author's share of the inbox is full";
    case 'sender-rate': return 'the author sends faster than the inbox accepts';
    case 'backlog': return "the author's messages wait for the disk";
  }
}

/** The part of InboxStats about refusals and the disk. */
export type HealthCounters = Pick<InboxStats, 'dropped' | 'refused' | 'writeErrors' | 'disk' | 'lastError'>;

/**
 * Counts refusals and write failures and tells the log about them without flooding it: refusals at most once per
 * 10 s (with how many there were), the disk's state only when it changes (full, failing, fine again).
 */
export class InboxHealth {
  /** The counters, exported by stats(). */
  readonly counters: HealthCounters = {
    dropped: 0, refused: { total: 0, 'sender-share': 0, 'sender-rate': 0, backlog: 0 }, writeErrors: 0, disk: 'ok',
  };
  private refusalsSinceLog = 0;
  private lastRefusalLog = -Infinity;

  constructor(private readonly path: string, private readonly now: () => number, private readonly logger?: Logger) {}

  /** A record was refused by `reason`. */
  refused(reason: QuotaRefusal, sender: string, usage: () => object): void {
    this.counters.refused[reason]++;
    this.counters.dropped++;
    this.refusalsSinceLog++;
    const t = this.now();
    if (t - this.lastRefusalLog >= REFUSAL_LOG_INTERVAL_MS) {
      this.logger?.warn({ reason, sender, refused: this.refusalsSinceLog, ...usage() }, `inbox: message refused (${describeRefusal(reason)})`);
      this.lastRefusalLog = t;
      this.refusalsSinceLog = 0;
    } else {
      this.logger?.debug({ reason, sender }, 'inbox: message refused');
    }
  }

  /** A write of `records` records failed with `err`; returns what their senders are told. */
  writeFailed(err: NodeJS.ErrnoException, records: number): string {
    const full = isNoSpace(err);
    this.counters.writeErrors++;
    this.counters.dropped += records;
    this.counters.lastError = { code: err.code ?? 'EIO', message: err.message, at: new Date(this.now()).toISOString() };
    const state = full ? 'full' : 'error';
    if (this.counters.disk !== state) {
      this.logger?.error({ path: this.path, code: err.code, err },
        full ? 'inbox: the disk is full: new messages are answered "not delivered" until space returns' : 'inbox: cannot write the inbox file');
      this.counters.disk = state;
    }
    return full ? 'the disk is full' : `cannot write the inbox file: ${err.message}`;
  }

  /** A write succeeded. */
  writeSucceeded(): void {
    if (this.counters.disk === 'ok') return;
    this.logger?.info({ path: this.path }, 'inbox: writes succeed again');
    this.counters.disk = 'ok';
  }
}
