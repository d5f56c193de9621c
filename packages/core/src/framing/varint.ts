import { FrameTooLargeError, MalformedFrameError } from '../errors.js';

/** Longest varint accepted as a frame length: 5 bytes encode any uint32. */
export const MAX_VARINT_BYTES = 5;

/** Number of bytes the varint encoding of `value` takes. */
export function varintLength(value: number): number {
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}

/** Writes `value` (a non-negative safe integer below 2^32) as a varint at `offset`; returns the new offset. */
export function writeVarint(value: number, target: Uint8Array, offset: number): number {
  while (value >= 0x80) {
    target[offset++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  target[offset++] = value;
  return offset;
}

/** Result of reading a varint: the value and how many bytes it took. */
export interface VarintRead {
  /** The decoded value. */
  value: number;
  /** Bytes consumed. */
  length: number;
}

/**
 * Reads a varint frame length from `source` at `offset`.
 * Returns undefined when more bytes are needed; throws MalformedFrameError for a varint longer than 5 bytes
 * and FrameTooLargeError as soon as the value is known to exceed `limit`.
 */
export function readVarint(source: Uint8Array, offset: number, limit: number): VarintRead | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (offset + i >= source.length) return undefined;
    const byte = source[offset + i]!;
    value += (byte & 0x7f) * scale;
    if (value > limit) throw new FrameTooLargeError(value, limit);
    if ((byte & 0x80) === 0) {
      if (i > 0 && byte === 0) throw new MalformedFrameError('non-minimal varint length prefix');
      return { value, length: i + 1 };
    }
    scale *= 128;
  }
  throw new MalformedFrameError(`varint length prefix longer than ${MAX_VARINT_BYTES} bytes`);
}
