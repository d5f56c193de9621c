import { describe, expect, it } from 'vitest';
import { v1 } from '../codec/wire.js';
import { ALONE_OVER_BYTES, settle, splitBursts, type BurstLine } from './burst-lines.js';
import { BURST_MAX_LINES, BURST_MAX_TEXT_BYTES } from './burst-body.js';

const line = (to: string, text: string): BurstLine => ({ to, line: { text, sentAtMs: 1 }, deadline: 0, done: false, resolve: () => {} });
const texts = (groups: BurstLine[][]) => groups.map((g) => g.map((l) => `${l.to}:${l.line.text}`));

describe('splitBursts', () => {
  it('groups by recipient in first-seen order, keeping each recipient\'s order', () => {
    const lines = [line('bob', '1'), line('*', '2'), line('bob', '3'), line('carol', '4'), line('*', '5')];
    expect(texts(splitBursts(lines))).toEqual([['bob:1', 'bob:3'], ['*:2', '*:5'], ['carol:4']]);
  });

  it('cuts at BURST_MAX_LINES and at BURST_MAX_TEXT_BYTES counted in UTF-8 bytes, and sends a long line alone', () => {
    const many = Array.from({ length: BURST_MAX_LINES + 1 }, (_, i) => line('bob', `${i}`));
    expect(splitBursts(many).map((g) => g.length)).toEqual([BURST_MAX_LINES, 1]);
    // 340 three-byte characters: 1,020 bytes, under the 1 KiB past which a line goes alone, but 3x its length.
    const wide = '中'.repeat(340);
    const perBurst = Math.floor(BURST_MAX_TEXT_BYTES / Buffer.byteLength(wide));
    const groups = splitBursts(Array.from({ length: perBurst + 1 }, () => line('bob', wide)));
    expect(groups.map((g) => g.length)).toEqual([perBurst, 1]);
    const long = 'x'.repeat(ALONE_OVER_BYTES + 1);
    expect(texts(splitBursts([line('bob', 'a'), line('bob', long), line('bob', 'b')]))).toEqual([['bob:a', 'bob:b'], [`bob:${long}`]]);
  });

  it('settles a line once', () => {
    const seen: string[] = [];
    const l = { ...line('bob', 'x'), resolve: (r: { status: string }) => seen.push(r.status) };
    settle(l, { status: v1.CliqueDeliveryStatus.CLIQUE_DELIVERY_STATUS_DELIVERED, delivered: 1 });
    settle(l, { status: v1.CliqueDeliveryStatus.CLIQUE_DELIVERY_STATUS_TIMEOUT });
    expect(seen).toEqual(['delivered']);
  });
});
