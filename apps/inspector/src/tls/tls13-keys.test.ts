import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openRecord } from './tls-decrypt.js';
import { CIPHER_SUITES, deriveTrafficKeys, hkdfExpandLabel, recordNonce } from './tls13-keys.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('TLS 1.3 key schedule', () => {
  it('derives the handshake key and IV of RFC 8448 section 3 (simple 1-RTT handshake)', () => {
    const secret = hex('b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38');
    const keys = deriveTrafficKeys(CIPHER_SUITES.get(0x1301)!, secret);
    expect(keys.key.toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(keys.iv.toString('hex')).toBe('5d313eb2671276ee13000b30');
    expect(hkdfExpandLabel('sha256', secret, 'key', new Uint8Array(0), 16)).toEqual(keys.key);
  });

  it('makes each nonce from the IV and the sequence number', () => {
    const iv = hex('000102030405060708090a0b');
    expect(recordNonce(iv, 0n).toString('hex')).toBe('000102030405060708090a0b');
    expect(recordNonce(iv, 1n).toString('hex')).toBe('000102030405060708090a0a');
    expect(recordNonce(iv, 0x0102n).toString('hex')).toBe('000102030405060708090b09');
  });

  for (const suite of CIPHER_SUITES.values()) {
    it(`opens a record sealed with node:crypto (${suite.name}), and refuses a damaged one`, () => {
      const keys = deriveTrafficKeys(suite, Buffer.alloc(suite.hashLength, 7));
      const inner = Buffer.concat([Buffer.from('frame bytes'), Uint8Array.of(23), Buffer.alloc(5)]); // content, type, padding
      const header = Uint8Array.of(23, 3, 3, 0, inner.length + 16);
      const cipher = createCipheriv(suite.cipher as 'aes-128-gcm', keys.key, recordNonce(keys.iv, 5n), { authTagLength: 16 });
      cipher.setAAD(header, { plaintextLength: inner.length });
      const payload = Buffer.concat([cipher.update(inner), cipher.final(), cipher.getAuthTag()]);
      const record = { type: 23, version: 0x0303, header, payload };
      expect(openRecord(suite, keys, 5n, record)).toEqual({ type: 23, content: Buffer.from('frame bytes') });
      expect(openRecord(suite, keys, 4n, record)).toBeUndefined();
      const damaged = Buffer.from(payload);
      damaged[0]! ^= 1;
      expect(openRecord(suite, keys, 5n, { ...record, payload: damaged })).toBeUndefined();
    });
  }
});
