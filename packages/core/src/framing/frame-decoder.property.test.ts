// Property tests of TCP framing: any envelopes survive encodeFrame + FrameDecoder whatever the chunking; random and
// mutated streams only ever raise typed errors; the decoder never holds more than one maximal frame plus its prefix.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, envelopeArbitrary } from '../../test/proto/arbitraries.js';
import { expectDecodingError, mutate, typedOrResult } from '../../test/proto/typed-errors.js';
import { decodeEnvelope } from '../codec/envelope-codec.js';
import type { Envelope } from '../codec/wire.js';
import { FrameTooLargeError } from '../errors.js';
import { FrameDecoder, type FrameDecoderOptions } from './frame-decoder.js';
import { FramePool } from './frame-pool.js';
import { DEFAULT_MAX_FRAME_SIZE, encodeFrame, frameBytes } from './frame-encoder.js';
import { MAX_VARINT_BYTES } from './varint.js';

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

/** Envelopes, now and then one carrying a large file block so frames span many chunks. */
const envelopes = fc.array(
  fc.oneof(
    { arbitrary: envelopeArbitrary(), weight: 9 },
    {
      arbitrary: fc.record({ size: fc.integer({ min: 1, max: 300_000 }), index: fc.nat() }).map(({ size, index }) => ({
        blockData: { index, data: new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff) },
      })),
      weight: 1,
    },
  ),
  { minLength: 1, maxLength: 8 },
);
const cuts = fc.array(fc.nat(), { maxLength: 40 });
const edits = fc.array(fc.record({ kind: fc.nat(), at: fc.nat(), value: fc.nat() }), { minLength: 1, maxLength: 4 });

/**
 * Feeds chunks the way a session does (push, then decode each frame on its own so one bad frame does not cost the
 * others), checking the buffer bound after every push; stops at the first framing error, which is final.
 */
function feed(decoder: FrameDecoder, chunks: Uint8Array[], maxFrameSize: number): { frames: number; failed: boolean } {
  let frames = 0;
  for (const chunk of chunks) {
    const got = typedOrResult(() => decoder.push(chunk));
    expect(decoder.pendingBytes).toBeLessThanOrEqual(maxFrameSize + MAX_VARINT_BYTES);
    if (!got) return { frames, failed: true };
    for (const frame of got) {
      expect(frame.length).toBeLessThanOrEqual(maxFrameSize);
      typedOrResult(() => decodeEnvelope(frame));
    }
    frames += got.length;
  }
  return { frames, failed: false };
}

// Every property holds as well when frames from 32 bytes up are assembled in buffers of their own (a FramePool's).
const pool = new FramePool(1024 * 1024);
const variants: [string, Pick<FrameDecoderOptions, 'largeFrames'>][] = [
  ['chunks joined', {}],
  ['large frames pooled', { largeFrames: { threshold: 32, alloc: (n) => pool.take(n) } }],
];

describe.each(variants)('frame decoder properties (%s)', { timeout: 90_000 }, (_name, variant) => {
  it('random envelopes round-trip through frames split at random places', () => {
    fc.assert(
      fc.property(envelopes, cuts, (list, at) => {
        const stream = Buffer.concat(list.map((e) => encodeFrame(e as Envelope)));
        const decoder = new FrameDecoder(variant);
        const out = [];
        for (const chunk of split(stream, at)) {
          out.push(...decoder.pushEnvelopes(chunk));
          expect(decoder.pendingBytes).toBeLessThanOrEqual(DEFAULT_MAX_FRAME_SIZE + MAX_VARINT_BYTES);
        }
        decoder.end();
        expect(decoder.pendingBytes).toBe(0);
        expect(out.map((e) => canonical('p2p.v1.Envelope', e))).toStrictEqual(list.map((e) => canonical('p2p.v1.Envelope', e)));
      }),
      { numRuns: 100 },
    );
  });

  it('random envelopes round-trip fed one byte at a time', () => {
    fc.assert(
      fc.property(fc.array(envelopeArbitrary(), { minLength: 1, maxLength: 4 }), (list) => {
        const stream = Buffer.concat(list.map((e) => encodeFrame(e as Envelope)));
        const decoder = new FrameDecoder(variant);
        const out = [];
        for (let i = 0; i < stream.length; i++) out.push(...decoder.pushEnvelopes(stream.subarray(i, i + 1)));
        decoder.end();
        expect(out.map((e) => canonical('p2p.v1.Envelope', e))).toStrictEqual(list.map((e) => canonical('p2p.v1.Envelope', e)));
      }),
      { numRuns: 100 },
    );
  });

  it('random bytes in random chunks only raise typed errors, within the buffer bound', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), cuts, fc.integer({ min: 1, max: 2048 }), (bytes, at, maxFrameSize) => {
        const decoder = new FrameDecoder({ maxFrameSize, ...variant });
        const { failed } = feed(decoder, split(bytes, at), maxFrameSize);
        typedOrResult(() => decoder.end());
        // Once failed, the stream cannot be resynchronised: every later call throws (a typed error).
        if (failed) expect(() => decoder.push(Uint8Array.of(0))).toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('mutated valid streams only raise typed errors, within the buffer bound', () => {
    fc.assert(
      fc.property(fc.array(envelopeArbitrary(), { minLength: 1, maxLength: 5 }), edits, cuts, (list, e, at) => {
        const stream = mutate(Buffer.concat(list.map((env) => encodeFrame(env as Envelope))), e);
        const maxFrameSize = 4096;
        const decoder = new FrameDecoder({ maxFrameSize, ...variant });
        feed(decoder, split(stream, at), maxFrameSize);
        typedOrResult(() => decoder.end());
      }),
      { numRuns: 400 },
    );
  });

  it('refuses an oversized frame from its length prefix alone, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 4096 }), cuts, (excess, maxFrameSize, at) => {
        const frame = frameBytes(new Uint8Array(maxFrameSize + excess), maxFrameSize + excess);
        const decoder = new FrameDecoder({ maxFrameSize, ...variant });
        let error: unknown;
        for (const chunk of split(frame, at)) {
          try {
            decoder.push(chunk);
          } catch (err) {
            error = err;
            break;
          }
          expect(decoder.pendingBytes).toBeLessThanOrEqual(MAX_VARINT_BYTES);
        }
        expectDecodingError(error);
        expect(error).toBeInstanceOf(FrameTooLargeError);
        expect(decoder.pendingBytes).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

// A reader that lends each chunk from one reused buffer (a socket read with `onread`): the decoder must copy what it
// keeps or returns, so scribbling over the buffer after each push changes nothing that came out.
const reusePool = new FramePool(4 * 1024 * 1024);
const transientVariants: [string, Pick<FrameDecoderOptions, 'largeFrames'>][] = [
  ['chunks joined', {}],
  ['large frames pooled', { largeFrames: { threshold: 32, alloc: (n) => pool.take(n) } }],
  ['large frames pooled, free buffers taken on the prefix', {
    largeFrames: { threshold: 64, alloc: (n) => reusePool.take(n), reuse: (n) => reusePool.takeFree(n) },
  }],
];

describe.each(transientVariants)('frame decoder with transient chunks (%s)', { timeout: 90_000 }, (_name, variant) => {
  it('random envelopes round-trip though every chunk is overwritten once pushed', () => {
    fc.assert(
      fc.property(envelopes, cuts, (list, at) => {
        const stream = Buffer.concat(list.map((e) => encodeFrame(e as Envelope)));
        const lent = Buffer.alloc(stream.length);
        const decoder = new FrameDecoder(variant);
        const out = [];
        for (const chunk of split(stream, at)) {
          lent.set(chunk);
          out.push(...decoder.pushEnvelopes(lent.subarray(0, chunk.length), true));
          lent.fill(0xa5);
        }
        decoder.end();
        expect(out.map((e) => canonical('p2p.v1.Envelope', e))).toStrictEqual(list.map((e) => canonical('p2p.v1.Envelope', e)));
        // Pooled frames go back, so later runs find free buffers to take on a prefix.
        for (const e of out) if (e.blockData?.data) reusePool.give(e.blockData.data);
      }),
      { numRuns: 150 },
    );
  });
});
