import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** The few operations the inbox writes its file with (a FileHandle has them; tests inject faults). */
export interface InboxFile {
  /** Writes `length` bytes of `buffer` from `offset` at file position `position`; resolves with the bytes written. */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  /** Flushes written data to the disk. */
  datasync(): Promise<void>;
  /** Cuts (or extends) the file to `length` bytes. */
  truncate(length: number): Promise<void>;
}

/** Outcome of appendRecords. */
export interface AppendOutcome {
  /** How many of the records, from the first, are whole in the file and synced. */
  kept: number;
  /** End of the last kept record: where the next write starts. */
  end: number;
  /** Why the rest was not kept. */
  error?: NodeJS.ErrnoException;
  /** The file could not be cut back to `end`: bytes after it are garbage until a later truncate succeeds. */
  dirty?: boolean;
  /** Bytes of a torn record (or of records not trusted) that were written and then cut off again. */
  cut?: number;
}

/** Error of a write that wrote nothing and said nothing (a zero-byte write). */
function shortWrite(): NodeJS.ErrnoException {
  return Object.assign(new Error('short write: the file system accepted no more bytes'), { code: 'ENOSPC' });
}

/**
 * Writes `lines` (whole records) at `start` and syncs them. Positional writes, so a record always begins where the
 * last whole one ended, whatever happened before. On a short write or an error (ENOSPC, EIO...) the file is cut back
 * to the end of the last record written whole and synced again, so a torn record never stays in front of a later
 * one; when the sync itself fails, nothing of this batch is trusted and the file is cut back to `start`.
 */
export async function appendRecords(file: InboxFile, start: number, lines: readonly Uint8Array[]): Promise<AppendOutcome> {
  const total = lines.reduce((n, l) => n + l.length, 0);
  const buffer = lines.length === 1 ? lines[0]! : Buffer.concat(lines, total);
  let written = 0;
  let error: NodeJS.ErrnoException | undefined;
  while (written < total) {
    try {
      const { bytesWritten } = await file.write(buffer, written, total - written, start + written);
      if (bytesWritten <= 0) {
        error = shortWrite();
        break;
      }
      written += bytesWritten;
    } catch (err) {
      error = err as NodeJS.ErrnoException;
      break;
    }
  }
  if (!error) {
    try {
      await file.datasync();
      return { kept: lines.length, end: start + total };
    } catch (err) {
      // After a failed sync the kernel may have dropped the pages: nothing of this batch is known to be on disk.
      error = err as NodeJS.ErrnoException;
      written = 0;
    }
  }
  let kept = 0;
  let end = start;
  for (const line of lines) {
    if (end + line.length > start + written) break;
    end += line.length;
    kept++;
  }
  try {
    await file.truncate(end);
    if (kept > 0) await file.datasync();
    return { kept, end, error, cut: start + written - end };
  } catch {
    try {
      await file.truncate(start);
      return { kept: 0, end: start, error };
    } catch {
      return { kept: 0, end: start, error, dirty: true };
    }
  }
}

/** Opens (or creates, mode 0600) the inbox file for reading and positional writing. */
export function openInboxFile(path: string): Promise<FileHandle> {
  return open(path, constants.O_RDWR | constants.O_CREAT, 0o600);
}

/** Whether an error means "no room": the disk (ENOSPC) or the user's disk quota (EDQUOT) is full. */
export function isNoSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
