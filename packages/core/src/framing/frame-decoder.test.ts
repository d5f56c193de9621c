import { describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../codec/envelope-codec.js';
import { FrameTooLargeError, MalformedFrameError, TruncatedFrameError, UnknownMessageError } from '../errors.js';
import { encodeFrame, frameBytes } from './frame-encoder.js';
import { FrameDecoder } from './frame-decoder.js';
import { FramePool } from './frame-pool.js';

const frames = [
  encodeFrame({ ping: { nonce: 7, sentAtMs: 1_700_000_000_000 } }),
  encodeFrame({ broadcast: { messageId: new Uint8Array(16).fill(3), hopCount: 2, chat: { text: 'héllo', fromName: 'a' } } }),
  encodeFrame({ blockData: { index: 9, data: new Uint8Array(70_000).fill(5) } }),
];
const stream = Buffer.concat(frames);

describe('FrameDecoder', () => {
  it('decodes many frames in one chunk', () => {
    const out = new FrameDecoder().pushEnvelopes(stream);
    expect(out.map((e) => e.body)).toEqual(['ping', 'broadcast', 'blockData']);
    expect(out[1]!.broadcast!.chat!.text).toBe('héllo');
  });

  it('assembles a large frame in a buffer of its own from the pool, with the small frames around it intact', () => {
    const pool = new FramePool(1024 * 1024);
    const owned = new Set<ArrayBufferLike>();
    const d = new FrameDecoder({ largeFrames: { threshold: 65_536, alloc: (n) => { const b = pool.take(n); owned.add(b.buffer); return b; } } });
    const tail = encodeFrame({ ping: { nonce: 8 } });
    const all = Buffer.concat([stream, tail]);
    const out: Uint8Array[] = [];
    // The large frame's prefix arrives with the small frames before it; its end shares a chunk with the next frame.
    const cut1 = frames[0]!.length + frames[1]!.length + 100;
    const cut2 = all.length - tail.length + 2;
    for (const chunk of [all.subarray(0, cut1), all.subarray(cut1, 40_000), all.subarray(40_000, 68_000), all.subarray(68_000, cut2), all.subarray(cut2)]) out.push(...d.push(chunk));
    expect(out.map((f) => decodeEnvelope(f).body)).toEqual(['ping', 'broadcast', 'blockData', 'ping']);
    expect(owned.has(out[2]!.buffer)).toBe(true);
    expect(out[2]!.byteOffset).toBe(0);
    expect(owned.has(out[0]!.buffer) || owned.has(out[3]!.buffer)).toBe(false);
    expect(decodeEnvelope(out[2]!).blockData!.data!.every((b) => b === 5)).toBe(true);
    expect(d.pendingBytes).toBe(0);
    d.end();
  });

  it('counts a large frame being filled as pending, and a stream that ends inside it as truncated', () => {
    const d = new FrameDecoder({ largeFrames: { threshold: 1024, alloc: (n) => new Uint8Array(n) } });
    d.push(frames[2]!.subarray(0, 5000));
    expect(d.pendingBytes).toBeGreaterThan(4000);
    expect(() => d.end()).toThrow(TruncatedFrameError);
  });

  it('gives a large frame its own buffer only once threshold bytes of it have arrived, not on its length prefix', () => {
    const sizes: number[] = [];
    const d = new FrameDecoder({ largeFrames: { threshold: 1024, alloc: (n) => { sizes.push(n); return new Uint8Array(n); } } });
    const big = frames[2]!;
    d.push(big.subarray(0, 10));
    d.push(big.subarray(10, 600));
    expect(sizes).toEqual([]);
    d.push(big.subarray(600, 2000));
    expect(sizes).toHaveLength(1);
    const out = d.push(big.subarray(2000));
    expect(out).toHaveLength(1);
    expect(sizes).toHaveLength(1);
  });

  it('takes a free pooled buffer on the length prefix alone, but allocates nothing there when none is free', () => {
    const pool = new FramePool(1024 * 1024);
    const allocs: number[] = [];
    const d = new FrameDecoder({
      largeFrames: { threshold: 1024, alloc: (n) => { allocs.push(n); return pool.take(n); }, reuse: (n) => pool.takeFree(n) },
    });
    const big = frames[2]!;
    d.push(big.subarray(0, 10));
    expect(allocs).toEqual([]);
    d.push(big.subarray(10, 2000));
    expect(allocs).toHaveLength(1);
    const [first] = d.push(big.subarray(2000));
    pool.give(first!);
    // Now a free buffer fits: the next frame goes into it at its first bytes, with no new allocation.
    d.push(big.subarray(0, 10));
    expect(d.pendingBytes).toBeGreaterThan(0);
    d.push(big.subarray(10, 2000));
    expect(allocs).toHaveLength(1);
    const [second] = d.push(big.subarray(2000));
    expect(allocs).toHaveLength(1);
    expect(second!.buffer).toBe(first!.buffer);
  });

  it('gives a half-filled large frame\'s buffer back when the stream is abandoned', () => {
    const released: Uint8Array[] = [];
    const d = new FrameDecoder({ largeFrames: { threshold: 1024, alloc: (n) => new Uint8Array(n), release: (f) => released.push(f) } });
    d.push(frames[2]!.subarray(0, 5000));
    expect(d.pendingBytes).toBeGreaterThan(0);
    d.abandon();
    expect(released).toHaveLength(1);
    expect(d.pendingBytes).toBe(0);
    d.end();
  });

  it('copies what it keeps or returns from a transient chunk, whose buffer the reader reuses', () => {
    const lent = Buffer.alloc(stream.length);
    const d = new FrameDecoder({ largeFrames: { threshold: 1024, alloc: (n) => new Uint8Array(n) } });
    const out: Uint8Array[] = [];
    for (const [from, to] of [[0, 5], [5, 300], [300, 40_000], [40_000, stream.length]] as const) {
      lent.set(stream.subarray(from, to));
      out.push(...d.push(lent.subarray(0, to - from), true));
      lent.fill(0xee);
    }
    expect(out.map((f) => decodeEnvelope(f).body)).toEqual(['ping', 'broadcast', 'blockData']);
    expect(decodeEnvelope(out[1]!).broadcast!.chat!.text).toBe('héllo');
    expect(decodeEnvelope(out[2]!).blockData!.data!.every((b) => b === 5)).toBe(true);
  });

  it('decodes the stream fed one byte at a time', () => {
    const d = new FrameDecoder();
    const out = [];
    for (const byte of stream) out.push(...d.pushEnvelopes(Uint8Array.of(byte)));
    expect(out.map((e) => e.body)).toEqual(['ping', 'broadcast', 'blockData']);
    expect(out[2]!.blockData!.data!.length).toBe(70_000);
    expect(d.pendingBytes).toBe(0);
    d.end();
  });

  it('refuses an oversized length prefix before buffering the body', () => {
    const d = new FrameDecoder({ maxFrameSize: 1000 });
    expect(() => d.push(Uint8Array.of(0xe9, 0x07))).toThrow(FrameTooLargeError);
    expect(d.pendingBytes).toBe(0);
    expect(() => d.push(Uint8Array.of(0))).toThrow(FrameTooLargeError);
  });

  it('refuses a varint longer than five bytes', () => {
    const d = new FrameDecoder({ maxFrameSize: 2 ** 40 });
    expect(() => d.push(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01))).toThrow(MalformedFrameError);
  });

  it('reports a stream that ends inside a frame', () => {
    const d = new FrameDecoder();
    d.push(stream.subarray(0, stream.length - 3));
    expect(() => d.end()).toThrow(TruncatedFrameError);
  });
});

describe('FrameDecoder with bad frames', () => {
  it('keeps the stream in sync across a frame that is not a valid envelope', () => {
    // A newer peer's message (unknown field 99) between two frames we know: framing is intact, only that frame fails.
    const unknown = frameBytes(Uint8Array.of(0x9a, 0x06, 0x01, 0x00));
    const bytes = Buffer.concat([frames[0]!, unknown, frames[1]!]);
    const d = new FrameDecoder();
    const payloads = d.push(bytes);
    expect(payloads).toHaveLength(3);
    expect(decodeEnvelope(payloads[0]!).body).toBe('ping');
    expect(() => decodeEnvelope(payloads[1]!)).toThrow(UnknownMessageError);
    expect(decodeEnvelope(payloads[2]!).body).toBe('broadcast');
    expect(d.pushEnvelopes(frames[0]!).map((e) => e.body)).toEqual(['ping']);
  });

  it('accepts an empty frame as a frame (the envelope inside is what is wrong)', () => {
    const d = new FrameDecoder();
    expect(d.push(Uint8Array.of(0))).toEqual([new Uint8Array(0)]);
    expect(() => new FrameDecoder().pushEnvelopes(Uint8Array.of(0))).toThrow(UnknownMessageError);
  });

  it('stays failed after a framing error: every later call throws the same error', () => {
    const d = new FrameDecoder({ maxFrameSize: 10 });
    let first: unknown;
    try {
      d.push(Uint8Array.of(11));
    } catch (err) {
      first = err;
    }
    expect(first).toBeInstanceOf(FrameTooLargeError);
    expect(() => d.push(frames[0]!)).toThrow(first as Error);
    expect(() => d.end()).toThrow(first as Error);
  });

  it('accepts a frame of exactly maxFrameSize and refuses one byte more', () => {
    const d = new FrameDecoder({ maxFrameSize: 300 });
    expect(d.push(frameBytes(new Uint8Array(300), 300))[0]!.length).toBe(300);
    expect(() => d.push(frameBytes(new Uint8Array(301), 301))).toThrow(FrameTooLargeError);
  });

  it('refuses a non-minimal length prefix', () => {
    expect(() => new FrameDecoder().push(Uint8Array.of(0x81, 0x00))).toThrow(MalformedFrameError);
  });
});
