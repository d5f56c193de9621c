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

/** One line as the load scan sees it: where it is, and whose it is (undefined when its head does not say). */
export interface ScannedLine {
  /** Where it starts in the file. */
  offset: number;
  /** Its length in bytes, newline included. */
  bytes: number;
  /** The author's peer ID as the record's head gives it; undefined for a line that is not a record. */
  sender: string | undefined;
}

/** Bytes of a line's beginning the scan looks at: the record's checksum, id, name and author come first. */
const HEAD = 4096;
const SENDER_KEY = Buffer.from('"fromPeerId":"');
const QUOTE = 0x22;

function senderOf(head: Buffer): string | undefined {
  // A record's line is a 16-hex-digit checksum, a space, then the JSON object.
  if (head.length < 18 || head[16] !== 0x20 || head[17] !== 0x7b) return undefined;
  // Inside a JSON string every quote is escaped, so this key can only match the real field.
  const at = head.indexOf(SENDER_KEY);
  if (at < 0) return undefined;
  const from = at + SENDER_KEY.length;
  const end = head.indexOf(QUOTE, from);
  return end < 0 ? undefined : head.toString('latin1', from, end);
}

/**
 * Finds the lines of `fh` between `start` and `end` and the author of each from its head only: no checksum, no
 * JSON parse of the text, so loading runs at the speed of reading (a damaged record is skipped when listed).
 */
export async function* scanLines(fh: FileHandle, start: number, end: number, stop: () => boolean = () => false): AsyncGenerator<ScannedLine[]> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  let lineStart = start;
  let head: Buffer[] = [];
  let headBytes = 0;
  for (let pos = start; pos < end && !stop(); ) {
    const { bytesRead } = await fh.read(chunk, 0, Math.min(CHUNK, end - pos), pos);
    if (bytesRead === 0) return;
    const lines: ScannedLine[] = [];
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE, 0); at >= 0 && at < bytesRead; at = chunk.indexOf(NEWLINE, from)) {
      const piece = chunk.subarray(from, Math.min(at, from + HEAD));
      const first = headBytes > 0 ? Buffer.concat([...head, piece]).subarray(0, HEAD) : piece;
      const offset = lineStart;
      lineStart = pos + at + 1;
      lines.push({ offset, bytes: lineStart - offset, sender: senderOf(first) });
      head = [];
      headBytes = 0;
      from = at + 1;
    }
    if (from < bytesRead && headBytes < HEAD) {
      const piece = Buffer.from(chunk.subarray(from, Math.min(bytesRead, from + HEAD - headBytes)));
      head.push(piece);
      headBytes += piece.length;
    }
    pos += bytesRead;
    yield lines;
  }
}
