import type { FileHandle } from 'node:fs/promises';

/** One line of the inbox file. */
export interface InboxLine {
  /** The line without its newline. */
  text: string;
  /** Where it starts in the file. */
  offset: number;
  /** Its length in bytes, newline included. */
  bytes: number;
}

const NEWLINE = 0x0a;
const CHUNK = 1024 * 1024;

/**
 * Reads the lines of `fh` between `start` and `end` (both on line boundaries) in chunks, never the whole file at
 * once: memory is one chunk plus the longest line. Stops early when `stop()` says so.
 */
export async function* readLines(fh: FileHandle, start: number, end: number, stop: () => boolean = () => false): AsyncGenerator<InboxLine> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lineStart = start;
  for (let pos = start; pos < end && !stop(); ) {
    const { bytesRead } = await fh.read(chunk, 0, Math.min(CHUNK, end - pos), pos);
    if (bytesRead === 0) return; // the file got shorter (cleared meanwhile)
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE, 0); at >= 0 && at < bytesRead; at = chunk.indexOf(NEWLINE, from)) {
      const piece = chunk.subarray(from, at);
      const text = carryBytes > 0 ? Buffer.concat([...carry, piece]).toString('utf8') : piece.toString('utf8');
      const bytes = carryBytes + piece.length + 1;
      carry = [];
      carryBytes = 0;
      yield { text, offset: lineStart, bytes };
      lineStart += bytes;
      from = at + 1;
    }
    if (from < bytesRead) {
      carry.push(Buffer.from(chunk.subarray(from, bytesRead)));
      carryBytes += bytesRead - from;
    }
    pos += bytesRead;
  }
}

/** Offset just after the last newline before `size`: whatever follows it is a record torn by a crash mid-write. */
export async function completeLength(fh: FileHandle, size: number): Promise<number> {
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
