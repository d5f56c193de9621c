import { describe, expect, it } from 'vitest';
import { decodeInboxRecord, encodeInboxRecord, type InboxRecord } from './inbox-record.js';

const record: InboxRecord = {
  id: 'ab01', from: 'alice', fromPeerId: 'peer-a', to: '*', kind: 'broadcast', text: 'héllo\nworld "q"',
  receivedAt: '2026-01-01T00:00:00.000Z',
};

describe('inbox records', () => {
  it('round-trips through one line', () => {
    const line = encodeInboxRecord(record);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1).includes('\n')).toBe(false);
    expect(decodeInboxRecord(line.slice(0, -1))).toEqual(record);
  });

  it('refuses a torn line, a flipped byte and a record of the wrong shape', () => {
    const line = encodeInboxRecord(record).slice(0, -1);
    for (let cut = 0; cut < line.length; cut += 7) expect(decodeInboxRecord(line.slice(0, cut))).toBeUndefined();
    expect(decodeInboxRecord(line.replace('alice', 'alicf'))).toBeUndefined();
    const bad = encodeInboxRecord({ ...record, kind: 'other' as never }).slice(0, -1);
    expect(decodeInboxRecord(bad)).toBeUndefined();
  });
});
