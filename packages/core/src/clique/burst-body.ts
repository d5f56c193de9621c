import { isUtf8 } from 'node:buffer';
import { v1, type p2p } from '../codec/wire.js';

/** Lines one CliqueLines burst carries at most: a client splits a bigger paste, a server refuses a bigger burst. */
export const BURST_MAX_LINES = 1024;
/** Text bytes one burst carries at most (all lines together), far below the 1 MiB frame limit. */
export const BURST_MAX_TEXT_BYTES = 256 * 1024;
/** The largest body: the texts plus at most 24 bytes of framing per line (tags, lengths, a 10-byte varint). */
const BURST_MAX_BODY_BYTES = BURST_MAX_TEXT_BYTES + 24 * BURST_MAX_LINES;
// The only tags a body holds: CliqueLineList.lines (1, length-delimited), CliqueLineText.text (1, length-delimited)
// and CliqueLineText.sent_at_ms (2, varint).
const TAG_LINE = (1 << 3) | 2;
const TAG_TEXT = (1 << 3) | 2;
const TAG_SENT_AT = (2 << 3) | 0;

/** The body of a burst: its lines as a serialized CliqueLineList, the bytes its signature covers. */
export function encodeBurstBody(lines: readonly p2p.v1.ICliqueLineText[]): Uint8Array {
  return v1.CliqueLineList.encode({ lines: lines as p2p.v1.ICliqueLineText[] }).finish();
}

/** The lines of a burst's body, or undefined when it is not a CliqueLineList. Never throws. */
export function decodeBurstBody(body: Uint8Array): p2p.v1.ICliqueLineText[] | undefined {
  try {
    return v1.CliqueLineList.decode(body).lines;
  } catch {
    return undefined;
  }
}

// The position after the varint scanVarint last read.
let scanned = 0;

/**
 * A varint at `pos` in its shortest form and at most `maxBytes` long (and, at 10 bytes, below 2^64), or -1. The
 * decoders accept longer forms of a number; a server hands a body on unchanged, so it accepts only what an honest
 * encoder writes.
 */
function scanVarint(b: Uint8Array, pos: number, maxBytes: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes && pos + i < b.length; i++) {
    const x = b[pos + i]!;
    if (i === 9 && x > 1) return -1;
    value += (x & 0x7f) * scale;
    if (x < 0x80) {
      if (x === 0 && i > 0) return -1;
      scanned = pos + i + 1;
      return value;
    }
    scale *= 128;
  }
  return -1;
}

/**
 * The number of lines in a burst's body when it is well formed and within bounds, else undefined. Well formed is
 * strict, as an honest encoder writes it: a CliqueLineList of 1 to BURST_MAX_LINES lines, each at most one text
 * (valid UTF-8, at most `maxLineBytes`) and one sent-at time, every tag, length and number in its shortest form,
 * nothing else (a server hands the body on unchanged, so nothing may ride along that an honest client would not
 * write); at most BURST_MAX_TEXT_BYTES of text in all. Reads the framing only, so a server checks a burst it hands on
 * for a fraction of what decoding it would cost. Never throws.
 */
export function scanBurstBody(body: Uint8Array, maxLineBytes: number): number | undefined {
  if (body.length > BURST_MAX_BODY_BYTES) return undefined;
  let pos = 0;
  let lines = 0;
  let text = 0;
  while (pos < body.length) {
    if (body[pos] !== TAG_LINE || ++lines > BURST_MAX_LINES) return undefined;
    const size = scanVarint(body, pos + 1, 3);
    if (size < 0 || scanned + size > body.length) return undefined;
    const end = scanned + size;
    pos = scanned;
    let seen = 0;
    while (pos < end) {
      const tag = body[pos];
      if (tag === TAG_TEXT && !(seen & 1)) {
        const n = scanVarint(body, pos + 1, 3);
        if (n < 0 || n > maxLineBytes || (text += n) > BURST_MAX_TEXT_BYTES || scanned + n > end) return undefined;
        if (!isUtf8(body.subarray(scanned, scanned + n))) return undefined;
        pos = scanned + n;
        seen |= 1;
      } else if (tag === TAG_SENT_AT && !(seen & 2)) {
        if (scanVarint(body, pos + 1, 10) < 0 || scanned > end) return undefined;
        pos = scanned;
        seen |= 2;
      } else return undefined;
    }
  }
  return lines === 0 ? undefined : lines;
}
