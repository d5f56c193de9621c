import { createHash } from 'node:crypto';
import { decodeEnvelope, encodeEnvelope } from '@p2p/core/wire';
import { describe, expect, it } from 'vitest';
import { envelopeFields } from './fields.js';

const roundTrip = (e: Parameters<typeof encodeEnvelope>[0]) => decodeEnvelope(encodeEnvelope(e));

describe('search and transfer messages', () => {
  it('summarise block data by length and hash instead of dumping it', () => {
    const data = new Uint8Array(512 * 1024).fill(7);
    const { type, fields } = envelopeFields(roundTrip({ blockData: { transferId: new Uint8Array(16).fill(1), index: 40, data } }));
    expect(type).toBe('blockData');
    expect(fields.data).toEqual({ bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect(fields.index).toBe(40);
    expect(JSON.stringify(fields).length).toBeLessThan(400);
  });

  it('summarise a hash list by count, and show search messages field by field', () => {
    const list = envelopeFields(roundTrip({ hashList: { root: new Uint8Array(32), size: 1e9, blockSize: 1 << 20, first: 0, total: 954, hashes: new Uint8Array(954 * 32) } }));
    expect(list.fields.hashes).toEqual({ count: 954, bytes: 954 * 32 });
    expect(list.fields.total).toBe(954);
    const found = envelopeFields(roundTrip({ found: { queryId: new Uint8Array(16), peerId: new Uint8Array(32).fill(3), fileName: 'docs/a.pdf', size: 10, root: new Uint8Array(32).fill(9), holderName: 'bob', port: 7070 } }));
    expect(found.fields).toMatchObject({ fileName: 'docs/a.pdf', holderName: 'bob', port: 7070, root: '09'.repeat(32) });
    expect(found.fields.peerId).toMatch(/^[a-z2-7]{52}$/);
    const get = envelopeFields(roundTrip({ get: { queryId: new Uint8Array(16), query: 'report', exact: true, maxHops: 4 } }));
    expect(get.fields).toMatchObject({ query: 'report', exact: true, maxHops: 4 });
  });
});
