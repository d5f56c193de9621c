import { describe, expect, it } from 'vitest';
import { formatInboxEntry, formatRtt, formatTable, inboxEntryJson } from './output.js';

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

  it('fills every field of the inbox JSON shape and names broadcasts "everyone"', () => {
    const entry = inboxEntryJson({ id: 'x', from: 'bob', kind: 'broadcast', to: '*', text: 'hi', receivedAt: '2026-01-01T00:00:00.000Z' });
    expect(entry).toEqual({ id: 'x', from: 'bob', fromPeerId: '', to: '*', kind: 'broadcast', text: 'hi', receivedAt: '2026-01-01T00:00:00.000Z' });
    expect(formatInboxEntry(entry)).toMatch(/bob → everyone: hi$/);
  });
});
