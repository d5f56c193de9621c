import { describe, expect, it } from 'vitest';
import { inboxEntryFromWire } from '@p2p/control';
import { formatInboxEntry, formatRtt, formatTable, formatUptime } from './output.js';

describe('output formatting', () => {
  it('aligns table columns and leaves the last one unpadded', () => {
    expect(formatTable(['NAME', 'RTT'], [['alice', '1 ms'], ['b', '-']])).toBe('NAME   RTT\nalice  1 ms\nb      -');
  });

  it('formats round-trip times, with "-" for never measured', () => {
    expect(formatRtt(0.4321)).toBe('0.43 ms');
    expect(formatRtt(123.4)).toBe('123 ms');
    expect(formatRtt(-1)).toBe('-');
    expect(formatRtt(undefined)).toBe('-');
  });

  it('formats uptimes', () => {
    expect(formatUptime(42.7)).toBe('42 s');
    expect(formatUptime(185)).toBe('3 min 5 s');
    expect(formatUptime(7620)).toBe('2 h 7 min');
    expect(formatUptime(4 * 86_400 + 3 * 3600 + 5)).toBe('4 d 3 h');
  });

  it('fills every field of the inbox JSON shape and names broadcasts "everyone"', () => {
    const entry = inboxEntryFromWire({ id: 'x', from: 'bob', kind: 'broadcast', to: '*', text: 'hi', receivedAt: '2026-01-01T00:00:00.000Z' });
    expect(entry).toEqual({ id: 'x', from: 'bob', fromPeerId: '', to: '*', kind: 'broadcast', text: 'hi', receivedAt: '2026-01-01T00:00:00.000Z' });
    expect(formatInboxEntry(entry)).toMatch(/bob → everyone: hi$/);
  });
});
