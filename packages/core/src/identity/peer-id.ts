import { createHash } from 'node:crypto';
import { InvalidPeerIdError } from '../errors.js';

/** Text form of a peer ID: lowercase RFC 4648 base32 (no padding) of SHA-256 of the node's public key (SPKI DER). */
export type PeerIdString = string;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
// 51 characters of 5 bits, then one whose value has its low 4 bits zero: a (0) or q (16).
const CANONICAL = /^[a-z2-7]{51}[aq]$/;
/** Bytes in a binary peer ID (SHA-256). */
export const PEER_ID_BYTES = 32;
/** Characters in the text form of a peer ID (base32 of 32 bytes, no padding). */
export const PEER_ID_LENGTH = 52;

/** Derives the binary peer ID from a public key in SubjectPublicKeyInfo DER form (as Syncthing hashes certificates). */
export function peerIdFromPublicKey(spkiDer: Uint8Array): Uint8Array {
  return createHash('sha256').update(spkiDer).digest();
}

const ALPHABET_CODES = Buffer.from(ALPHABET, 'latin1');
// The characters are written here and read out as one string: appending them one by one built a chain of 52 strings
// for every ID, and every clique line converts its author's ID at its server and at its recipient.
const scratch = Buffer.alloc(PEER_ID_LENGTH);

/** Text form of a binary peer ID: lowercase RFC 4648 base32 without padding. */
export function peerIdToString(bytes: Uint8Array): PeerIdString {
  if (bytes.length !== PEER_ID_BYTES) throw new InvalidPeerIdError(`expected ${PEER_ID_BYTES} bytes, got ${bytes.length}`);
  let n = 0;
  let bits = 0;
  let value = 0;
  for (let i = 0; i < PEER_ID_BYTES; i++) {
    value = ((value << 8) | bytes[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      scratch[n++] = ALPHABET_CODES[(value >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
  }
  if (bits > 0) scratch[n++] = ALPHABET_CODES[(value << (5 - bits)) & 31]!;
  return scratch.toString('latin1', 0, n);
}

/**
 * Binary form of a text peer ID; throws InvalidPeerIdError for anything that is not one. Only the canonical text
 * is accepted (lowercase, no spaces, and the unused low 4 bits of the last character zero), so each ID has
 * exactly one text form: user input is trimmed and lowercased by whoever reads it, before it gets here.
 */
export function peerIdFromString(text: string): Uint8Array {
  if (text.length !== PEER_ID_LENGTH) throw new InvalidPeerIdError(`expected ${PEER_ID_LENGTH} characters, got ${text.length}`);
  const out = new Uint8Array(PEER_ID_BYTES);
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const ch of text) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) throw new InvalidPeerIdError(`unexpected character '${ch}'`);
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      if (index < PEER_ID_BYTES) out[index++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  // 52 characters carry 260 bits for 256: the 4 left over must be zero, or 16 texts would name one ID.
  if ((value & ((1 << bits) - 1)) !== 0) throw new InvalidPeerIdError('not canonical: the last character has unused bits set');
  return out;
}

/** True when `text` is a peer ID in its canonical text form (the form peerIdToString writes). */
export function isPeerIdString(text: string): boolean {
  return CANONICAL.test(text);
}

/** Short form for humans and logs: the first 10 characters. */
export function shortPeerId(id: PeerIdString): string {
  return id.slice(0, 10);
}
