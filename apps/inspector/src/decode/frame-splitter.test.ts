import { randomBytes } from 'node:crypto';
import { encodeFrame, type Envelope } from '@p2p/core/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameSplitter, type SplitItem } from './frame-splitter.js';

const t = { seconds: 0, nanos: 0 };
const envelopes: Envelope[] = Array.from({ length: 40 }, (_, i) =>
  i % 4 === 0
    ? { blockData: { transferId: randomBytes(16), index: i, data: randomBytes(3000 + i), sha256: randomBytes(32) } }
    : i % 4 === 1
      ? { ping: { nonce: i, sentAtMs: i } }
      : { broadcast: { messageId: randomBytes(16), origin: randomBytes(32), maxHops: 8, chat: { text: `line ${i}`, fromName: 'x', sentAtMs: i } } });
const stream = Buffer.concat(envelopes.map((e) => encodeFrame(e)));
const frameStarts: number[] = [];
{
  let o = 0;
  for (const e of envelopes) {
    frameStarts.push(o);
    o += encodeFrame(e).length;
  }
}

function feed(splitter: FrameSplitter, bytes: Uint8Array, cuts: number[]): SplitItem[] {
  const out: SplitItem[] = [];
  let last = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    out.push(...splitter.push(bytes.subarray(last, cut), t, 1));
    last = cut;
  }
  out.push(...splitter.end());
  return out;
}

const frames = (items: SplitItem[]): string[] => items.filter((i) => i.kind === 'frame').map((i) => Buffer.from(i.raw).toString('hex'));
const expected = envelopes.map((e) => Buffer.from(encodeFrame(e)).toString('hex'));

describe('FrameSplitter', () => {
  it('splits a stream into the same frames whatever the chunking', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 60 }), (cuts) => {
      const items = feed(new FrameSplitter({ fromStart: true }), stream, cuts);
      expect(items.filter((i) => i.kind === 'undecodable')).toEqual([]);
      expect(frames(items)).toEqual(expected);
    }), { numRuns: 60 });
  });

  it('joining mid-stream, it resynchronises on the first frame that starts after the join', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: stream.length - 1 }), fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 20 }), (start, cuts) => {
      const items = feed(new FrameSplitter({ fromStart: false }), stream.subarray(start), cuts.map((c) => c - start));
      const firstWhole = frameStarts.findIndex((s) => s >= start);
      expect(frames(items)).toEqual(firstWhole < 0 ? [] : expected.slice(firstWhole));
    }), { numRuns: 60 });
  });

  it('reports a damaged frame as undecodable and goes on with the next ones', () => {
    const damaged = Buffer.from(stream);
    const victim = 5;
    damaged.fill(0xff, frameStarts[victim]! + 1, frameStarts[victim]! + 6); // inside frame 5's envelope
    const items = feed(new FrameSplitter({ fromStart: true }), damaged, []);
    const bad = items.filter((i) => i.kind === 'undecodable');
    expect(bad.length).toBeGreaterThanOrEqual(1);
    expect(frames(items)).toEqual([...expected.slice(0, victim), ...expected.slice(victim + 1)]);
  });

  it('a hole in the stream loses only the frame it falls in', () => {
    const splitter = new FrameSplitter({ fromStart: true });
    const hole = frameStarts[10]! + 7;
    const items = [
      ...splitter.push(stream.subarray(0, hole), t, 1),
      ...splitter.gap(100, t, 2),
      ...splitter.push(stream.subarray(hole + 100), t, 3),
      ...splitter.end(),
    ];
    expect(items.some((i) => i.kind === 'undecodable' && i.reason.includes('100 bytes missing'))).toBe(true);
    const lastLost = frameStarts.findIndex((s) => s > hole + 100) - 1;
    expect(frames(items)).toEqual([...expected.slice(0, 10), ...expected.slice(lastLost + 1)]);
  });

  it('random bytes never throw and never yield frames that were not sent', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4000 }), fc.boolean(), (bytes, fromStart) => {
      const items = feed(new FrameSplitter({ fromStart }), bytes, [100, 1000]);
      expect(items.every((i) => i.kind === 'undecodable' || i.raw.length > 0)).toBe(true);
    }), { numRuns: 200 });
  });
});
