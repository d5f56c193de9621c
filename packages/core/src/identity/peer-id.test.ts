import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidPeerIdError } from '../errors.js';
import { isPeerIdString, peerIdFromPublicKey, peerIdFromString, peerIdToString } from './peer-id.js';

describe('peer IDs', () => {
  it('round-trips between bytes and text', () => {
    for (let i = 0; i < 200; i++) {
      const bytes = peerIdFromPublicKey(randomBytes(91));
      const text = peerIdToString(bytes);
      expect(isPeerIdString(text)).toBe(true);
      expect(Buffer.from(peerIdFromString(text))).toEqual(Buffer.from(bytes));
    }
  });

  it('refuses malformed text', () => {
    expect(() => peerIdFromString('abc')).toThrow(InvalidPeerIdError);
    expect(() => peerIdFromString('1'.repeat(52))).toThrow(InvalidPeerIdError);
  });
});
