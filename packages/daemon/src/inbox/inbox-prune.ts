import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InboxPruneError } from '../errors.js';
import { isNoSpace } from './inbox-file.js';
import { readLines } from './inbox-lines.js';
import { decodeInboxRecord } from './inbox-record.js';

/** What to remove from the inbox. */
export interface PruneOptions {
  /** Remove everything (needs no free space: the file is cut to nothing). */
  all?: boolean;
  /** Remove messages received more than this many milliseconds ago. */
  olderThanMs?: number;
  /** Keep at most the newest `keep` messages (0 keeps none). */
  keep?: number;
}

/** Outcome of a prune. */
export interface PruneResult {
  /** Messages removed. */
  removed: number;
  /** Messages left. */
  kept: number;
  /** Bytes the file shrank by. */
  freedBytes: number;
}

/** The inbox file after a rewrite: where its records start and how many bytes each author holds. */
export interface RewrittenInbox {
  offsets: number[];
  bySender: Map<string, number>;
  size: number;
}

const WRITE_CHUNK = 1024 * 1024;

/**
 * Rewrites the records of `fh` in [0, end) that survive `options` into `path`.prune, syncs it and renames it over
 * `path` (so a crash leaves either the old or the new inbox, never a mix). `count` is the number of lines (the index's count).
 * A failure (no space for the copy) removes the copy and leaves the inbox as it was.
 */
export async function rewriteInbox(fh: FileHandle, end: number, count: number, path: string, options: PruneOptions, now: number): Promise<RewrittenInbox> {
  const cutoff = options.olderThanMs !== undefined ? now - options.olderThanMs : -Infinity;
  const firstKept = options.keep !== undefined ? Math.max(0, count - options.keep) : 0;
  const tmp = `${path}.prune`;
  const out = await open(tmp, 'w', 0o600);
  const result: RewrittenInbox = { offsets: [], bySender: new Map(), size: 0 };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const writeOut = async () => {
    if (pendingBytes === 0) return;
    await out.write(Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  try {
    let index = 0;
    for await (const line of readLines(fh, 0, end)) {
      // Lines are counted as the index counts them, damaged ones too; those are not worth carrying over.
      const record = decodeInboxRecord(line.text);
      if (index++ < firstKept || !record || Date.parse(record.receivedAt) < cutoff) continue;
      result.offsets.push(result.size);
      result.bySender.set(record.fromPeerId, (result.bySender.get(record.fromPeerId) ?? 0) + line.bytes);
      result.size += line.bytes;
      pending.push(Buffer.from(`${line.text}\n`));
      pendingBytes += line.bytes;
      if (pendingBytes >= WRITE_CHUNK) await writeOut();
    }
    await writeOut();
    await out.datasync();
  } catch (err) {
    await out.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    const detail = isNoSpace(err)
      ? 'not enough free space for the pruned copy (p2p-cli inbox --clear needs none)'
      : (err as Error).message;
    throw new InboxPruneError(detail, { cause: err });
  }
  await out.close();
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  await dir.sync().finally(() => dir.close());
  return result;
}
