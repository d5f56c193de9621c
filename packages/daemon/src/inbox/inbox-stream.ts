import type { InboxRecord } from './inbox-record.js';
import type { Inbox } from './inbox-types.js';

/** Where streamInbox sends a listing: one call per record, one at the end of the stored part. */
export interface InboxSink {
  /** Sends one record; false when the client is gone. */
  entry(record: InboxRecord): boolean;
  /** Marks the end of the stored records (`count` sent). */
  end(count: number): void;
  /** Resolves once the client has read what was sent so far (or is gone). */
  drained(): Promise<void>;
  /** The client fell too far behind a live follow: it is disconnected. */
  overflow(): void;
  /** True once the client is gone. */
  gone(): boolean;
}

/** Options of streamInbox. */
export interface StreamInboxOptions {
  /** Only the last `limit` stored records (0: all). */
  limit: number;
  /** Keep sending records as they are stored. */
  follow: boolean;
  /** Receives the function that stops following, as soon as there is one. */
  onUnsubscribe?: (unsubscribe: () => void) => void;
}

/** Records sent between two waits for the client to read: the listing never piles up in memory. */
const PACE = 64;
/** Live records held back while the stored part is still being sent; beyond, the follower is disconnected. */
const MAX_HELD_BACK = 10_000;

/**
 * Sends the stored records to a client, read from the file at the client's pace, then (with `follow`) every record
 * stored after the snapshot, in order, none missed or repeated.
 */
export async function streamInbox(inbox: Inbox, options: StreamInboxOptions, sink: InboxSink): Promise<void> {
  let heldBack: InboxRecord[] | undefined = options.follow ? [] : undefined;
  let overflowed = false;
  const onLive = (record: InboxRecord): void => {
    if (overflowed) return;
    if (!heldBack) {
      sink.entry(record);
      return;
    }
    if (heldBack.length >= MAX_HELD_BACK) {
      overflowed = true;
      sink.overflow();
      return;
    }
    heldBack.push(record);
  };
  const snapshot = await inbox.snapshot(options.limit, options.follow ? onLive : undefined);
  options.onUnsubscribe?.(snapshot.unsubscribe);
  let sent = 0;
  try {
    for await (const record of snapshot.records) {
      if (sink.gone() || overflowed || !sink.entry(record)) break;
      if (++sent % PACE === 0) await sink.drained();
    }
  } finally {
    await snapshot.close();
  }
  if (sink.gone() || overflowed) {
    snapshot.unsubscribe();
    return;
  }
  sink.end(sent);
  const held = heldBack ?? [];
  heldBack = undefined;
  for (const record of held) sink.entry(record);
}
