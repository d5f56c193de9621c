import { DEFAULT_MAX_FRAME_SIZE, decodeEnvelope, type DecodedEnvelope } from '@p2p/core/wire';

/** Highest Envelope oneof field number known to this build (p2p.v1.Envelope.error = 23). */
export const MAX_ENVELOPE_FIELD = 23;

/** Outcome of looking at bytes that may start a frame. */
export type HeaderCheck = 'yes' | 'no' | 'more';

function varintAt(b: Uint8Array, offset: number, maxBytes: number): { value: number; length: number } | 'no' | 'more' {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (offset + i >= b.length) return 'more';
    const byte = b[offset + i]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      if (i > 0 && byte === 0) return 'no'; // non-minimal: encoders never write it
      return { value, length: i + 1 };
    }
    scale *= 128;
  }
  return 'no';
}

/**
 * Checks whether a frame header starts at `offset`, the way our encoders write one: a minimal varint length, then
 * an Envelope holding exactly one length-delimited oneof field whose own length fills the frame exactly.
 * Needs at most 12 bytes; returns the frame's total size (prefix included) on success.
 */
export function checkFrameHeader(b: Uint8Array, offset: number, maxFrameSize = DEFAULT_MAX_FRAME_SIZE): { size: number } | 'no' | 'more' {
  const len = varintAt(b, offset, 5);
  if (typeof len === 'string') return len;
  if (len.value < 2 || len.value > maxFrameSize) return 'no';
  const tag = varintAt(b, offset + len.length, 2);
  if (typeof tag === 'string') return tag;
  const field = tag.value >>> 3;
  if ((tag.value & 7) !== 2 || field < 1 || field > MAX_ENVELOPE_FIELD) return 'no';
  const inner = varintAt(b, offset + len.length + tag.length, 5);
  if (typeof inner === 'string') return inner;
  if (tag.length + inner.length + inner.value !== len.value) return 'no';
  return { size: len.length + len.value };
}

/**
 * Proves a frame boundary at `offset`: a valid header, a body that decodes as an Envelope, and right after it
 * either another valid frame header or the end of a finished stream. Random bytes pass all three by chance only
 * with negligible probability, which is what lets a capture that starts mid-stream resynchronise safely.
 */
export function proveFrameAt(
  b: Uint8Array,
  offset: number,
  streamEnded: boolean,
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE,
): { size: number; envelope: DecodedEnvelope; prefix: number } | 'no' | 'more' {
  const header = checkFrameHeader(b, offset, maxFrameSize);
  if (typeof header === 'string') return header;
  const end = offset + header.size;
  if (end > b.length) return 'more';
  const prefix = varintAt(b, offset, 5) as { length: number };
  let envelope: DecodedEnvelope;
  try {
    envelope = decodeEnvelope(b.subarray(offset + prefix.length, end));
  } catch {
    return 'no';
  }
  if (end === b.length) return streamEnded ? { size: header.size, envelope, prefix: prefix.length } : 'more';
  const next = checkFrameHeader(b, end, maxFrameSize);
  if (next === 'more') return streamEnded ? { size: header.size, envelope, prefix: prefix.length } : 'more';
  if (next === 'no') return 'no';
  return { size: header.size, envelope, prefix: prefix.length };
}
