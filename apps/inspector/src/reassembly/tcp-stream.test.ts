import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpReassembler, type StreamChunk } from './tcp-stream.js';

const t = { seconds: 0, nanos: 0 };
const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

function segments(isn: number, sizes: number[]): { seq: number; bytes: Buffer }[] {
  const out: { seq: number; bytes: Buffer }[] = [];
  let offset = 0;
  for (const size of sizes) {
    if (offset >= data.length) break;
    out.push({ seq: (isn + 1 + offset) >>> 0, bytes: data.subarray(offset, offset + size) });
    offset += size;
  }
  if (offset < data.length) out.push({ seq: (isn + 1 + offset) >>> 0, bytes: data.subarray(offset) });
  return out;
}

const joined = (chunks: StreamChunk[]): Buffer => Buffer.concat(chunks.filter((c) => c.kind === 'data').map((c) => c.bytes));

describe('TcpReassembler', () => {
  it('restores the byte stream from shuffled, duplicated and overlapping segments, across sequence wrap-around', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      (isn, sizes, swaps) => {
        const segs = segments(isn, sizes);
        const order = [...segs, ...segs.filter((_, i) => i % 3 === 0)]; // retransmissions
        order.push({ seq: (isn + 1 + 10) >>> 0, bytes: data.subarray(10, 900) }); // an overlapping repacketised retransmission
        for (const s of swaps) {
          const a = s % order.length;
          const b = (s >> 3) % order.length;
          [order[a], order[b]] = [order[b]!, order[a]!];
        }
        const r = new TcpReassembler();
        const out: StreamChunk[] = [...r.push(isn, new Uint8Array(0), true, t, 1)];
        for (const s of order) out.push(...r.push(s.seq, s.bytes, false, t, 1));
        out.push(...r.flush());
        expect(out.filter((c) => c.kind === 'gap')).toEqual([]);
        expect(joined(out).equals(data)).toBe(true);
      },
    ), { numRuns: 100 });
  });

  it('reports a hole that never fills as a gap and delivers what follows', () => {
    const r = new TcpReassembler();
    const segs = segments(100, [1000, 1000, 1000]);
    const out = [...r.push(100, new Uint8Array(0), true, t, 1)];
    for (const [i, s] of segs.entries()) if (i !== 1) out.push(...r.push(s.seq, s.bytes, false, t, 1));
    out.push(...r.flush());
    expect(out.map((c) => c.kind).filter((k, i, all) => k !== all[i - 1])).toEqual(['data', 'gap', 'data']);
    expect(joined(out).equals(Buffer.concat([data.subarray(0, 1000), data.subarray(2000)]))).toBe(true);
    expect(out[1]).toMatchObject({ kind: 'gap', missing: 1000 });
  });

  it('gives up a hole once too many bytes wait behind it', () => {
    const r = new TcpReassembler({ maxPendingBytes: 2500 });
    const segs = segments(0, [500, 500, 500, 500, 500, 500, 500, 500]);
    const out = [...r.push(0, new Uint8Array(0), true, t, 1)];
    for (const s of segs.slice(1)) out.push(...r.push(s.seq, s.bytes, false, t, 1));
    expect(out.some((c) => c.kind === 'gap')).toBe(true);
  });
});
