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

  it('accepts exactly one text per ID: the unused bits of the last character must be zero', () => {
    const text = peerIdToString(randomBytes(32));
    expect(text.at(-1)).toMatch(/[aq]/);
    const bytes = Buffer.from(peerIdFromString(text));
    const base = 'abcdefghijklmnopqrstuvwxyz234567'.indexOf(text.at(-1)!);
    for (let low = 1; low < 16; low++) {
      const other = text.slice(0, -1) + 'abcdefghijklmnopqrstuvwxyz234567'[base | low];
      expect(isPeerIdString(other)).toBe(false);
      expect(() => peerIdFromString(other)).toThrow(InvalidPeerIdError);
    }
    expect(() => peerIdFromString(text.toUpperCase())).toThrow(InvalidPeerIdError);
    expect(() => peerIdFromString(` ${text}`.slice(0, 52))).toThrow(InvalidPeerIdError);
    expect(Buffer.from(peerIdFromString(text))).toEqual(bytes);
  });
});
