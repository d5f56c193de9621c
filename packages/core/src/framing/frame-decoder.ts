import { decodeEnvelope } from '../codec/envelope-codec.js';
import type { DecodedEnvelope } from '../codec/wire.js';
import { P2PError, TruncatedFrameError } from '../errors.js';
import { DEFAULT_MAX_FRAME_SIZE } from './frame-encoder.js';
import { readVarint } from './varint.js';

/** Options of a FrameDecoder. */
export interface FrameDecoderOptions {
  /** Largest frame payload accepted, in bytes; a larger length prefix is an error before any byte is buffered. */
  maxFrameSize?: number;
  /**
   * Where frames of at least `threshold` bytes are assembled (a FramePool's take): each such frame gets a buffer of
   * its own, filled as chunks arrive, instead of a list of chunks joined at the end.
   */
  largeFrames?: {
    threshold: number;
    alloc(length: number): Uint8Array;
    /**
     * A buffer for a large frame that costs no allocation (a free pooled one), or undefined. Used as soon as the length
     * prefix is read: nothing is allocated on a prefix alone, but an idle buffer may as well take the frame at once.
     */
    reuse?(length: number): Uint8Array | undefined;
    /** Takes back the buffer of a large frame that will never be finished (see abandon). */
    release?(frame: Uint8Array): void;
  };
}

// A copy the reader's buffer does not own. Small copies come from Node's shared buffer pool (no ArrayBuffer of
// their own each: V8 counts those towards its next full collection).
const copy = (b: Uint8Array): Uint8Array => {
  const out = Buffer.allocUnsafe(b.length);
  out.set(b);
  return out;
};

/**
 * Splits a byte stream into length-delimited frames, whatever the chunking: one byte at a time or many frames
 * in one chunk. Buffers at most one frame (bounded by maxFrameSize). After an error the stream cannot be
 * resynchronised, so the decoder stays failed and every later push throws the same error.
 */
export class FrameDecoder {
  private readonly maxFrameSize: number;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private failure: P2PError | undefined;
  // Bytes needed before the frame at the head of the buffer is complete (0: not known yet). Without it, a
  // large frame arriving in many small chunks would be re-concatenated on every chunk (quadratic time).
  private needed = 0;
  private readonly largeFrames: FrameDecoderOptions['largeFrames'];
  // A large frame being filled: its own buffer and how much of it has arrived.
  private large: { frame: Uint8Array; filled: number } | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.largeFrames = options.largeFrames;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * Feeds a chunk; returns the payloads of every frame it completed. Throws a P2PError on bad input. A `transient`
   * chunk lives in a buffer its reader reuses once push returns: whatever the decoder keeps or returns from it is
   * copied first (large frames are copied into their own buffers anyway, so a bulk transfer copies almost nothing).
   */
  push(chunk: Uint8Array, transient = false): Uint8Array[] {
    if (this.failure) throw this.failure;
    if (chunk.length === 0) return [];
    if (this.large) return this.fillLarge(chunk, transient);
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    // A large frame moves to a buffer of its own once `threshold` of its bytes have arrived, not on its length
    // prefix alone: three bytes must not make us allocate a megabyte.
    const large = this.largeFrames;
    if (this.buffered < this.needed && !(large && this.needed >= large.threshold && this.buffered >= large.threshold)) {
      if (transient) this.chunks[this.chunks.length - 1] = copy(chunk);
      return [];
    }
    const frames: Uint8Array[] = [];
    let data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    // Views of `data` may be kept only when it is not the reader's buffer.
    const borrowed = transient && data === chunk;
    let offset = 0;
    this.needed = 0;
    try {
      for (;;) {
        const prefix = readVarint(data, offset, this.maxFrameSize);
        if (!prefix) break;
        const end = offset + prefix.length + prefix.value;
        if (end > data.length) {
          const have = data.subarray(offset + prefix.length);
          const frame = large && prefix.value >= large.threshold
            ? (have.length >= large.threshold ? large.alloc(prefix.value) : large.reuse?.(prefix.value))
            : undefined;
          if (frame) {
            frame.set(have, 0);
            this.large = { frame, filled: have.length };
            this.chunks = [];
            this.buffered = have.length;
            return borrowed ? frames.map(copy) : frames;
          }
          this.needed = end - offset;
          break;
        }
        frames.push(data.subarray(offset + prefix.length, end));
        offset = end;
      }
    } catch (err) {
      this.chunks = [];
      this.buffered = 0;
      this.failure = err as P2PError;
      throw err;
    }
    if (offset > 0) data = data.subarray(offset);
    // Copy the remainder so that a small leftover does not pin a large chunk in memory.
    this.chunks = data.length > 0 ? [offset > 0 || borrowed ? copy(data) : data] : [];
    this.buffered = data.length;
    return borrowed ? frames.map(copy) : frames;
  }

  // Copies a chunk into the large frame being filled; once full it is the first frame out, and the rest of the chunk
  // is read as usual.
  private fillLarge(chunk: Uint8Array, transient: boolean): Uint8Array[] {
    const large = this.large!;
    const n = Math.min(large.frame.length - large.filled, chunk.length);
    large.frame.set(chunk.subarray(0, n), large.filled);
    large.filled += n;
    this.buffered = large.filled;
    if (large.filled < large.frame.length) return [];
    this.large = undefined;
    this.buffered = 0;
    return n < chunk.length ? [large.frame, ...this.push(chunk.subarray(n), transient)] : [large.frame];
  }

  /**
   * Feeds a chunk and decodes every completed frame into an envelope. All or nothing: a frame that is not a valid
   * envelope throws, and the other frames of the same chunk are dropped with it. A session that must survive one
   * bad frame (an UnknownMessageError from a newer peer) calls push() and decodeEnvelope() on each frame instead.
   */
  pushEnvelopes(chunk: Uint8Array, transient = false): DecodedEnvelope[] {
    return this.push(chunk, transient).map((frame) => decodeEnvelope(frame));
  }

  /** Drops whatever is buffered, giving a large frame's buffer back: the stream is gone (a closed session). */
  abandon(): void {
    const large = this.large;
    this.large = undefined;
    this.chunks = [];
    this.buffered = 0;
    this.needed = 0;
    if (large) this.largeFrames?.release?.(large.frame);
  }

  /** Declares the end of the stream: throws TruncatedFrameError if a partial frame is still buffered. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.buffered > 0 || this.large) {
      const n = this.buffered;
      this.chunks = [];
      this.large = undefined;
      this.buffered = 0;
      throw new TruncatedFrameError(`stream ended inside a frame (${n} bytes pending)`);
    }
  }
}
