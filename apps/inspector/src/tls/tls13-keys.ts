import { createHmac } from 'node:crypto';

/** A TLS 1.3 cipher suite the inspector can decrypt. */
export interface CipherSuite {
  /** IANA code point. */
  code: number;
  /** IANA name. */
  name: string;
  /** node:crypto AEAD cipher name. */
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  /** Hash of the key schedule. */
  hash: 'sha256' | 'sha384';
  /** Hash output length in bytes. */
  hashLength: number;
  /** AEAD key length in bytes. */
  keyLength: number;
}

/** The TLS 1.3 cipher suites of RFC 8446 that node:tls negotiates. */
export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map([
  [0x1301, { code: 0x1301, name: 'TLS_AES_128_GCM_SHA256', cipher: 'aes-128-gcm', hash: 'sha256', hashLength: 32, keyLength: 16 }],
  [0x1302, { code: 0x1302, name: 'TLS_AES_256_GCM_SHA384', cipher: 'aes-256-gcm', hash: 'sha384', hashLength: 48, keyLength: 32 }],
  [0x1303, { code: 0x1303, name: 'TLS_CHACHA20_POLY1305_SHA256', cipher: 'chacha20-poly1305', hash: 'sha256', hashLength: 32, keyLength: 32 }],
]);

/**
 * HKDF-Expand (RFC 5869 section 2.3) on node:crypto's HMAC. node:crypto's hkdf always runs Extract first, while
 * the TLS 1.3 key schedule expands secrets that are already pseudorandom keys, so Expand is used on its own.
 */
export function hkdfExpand(hash: string, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let total = 0;
  for (let i = 1; total < length; i++) {
    previous = createHmac(hash, prk).update(previous).update(info).update(Uint8Array.of(i)).digest();
    blocks.push(previous);
    total += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** HKDF-Expand-Label of RFC 8446 section 7.1, with the "tls13 " label prefix. */
export function hkdfExpandLabel(hash: string, secret: Uint8Array, label: string, context: Uint8Array, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.alloc(2 + 1 + fullLabel.length + 1 + context.length);
  info.writeUInt16BE(length, 0);
  info[2] = fullLabel.length;
  fullLabel.copy(info, 3);
  info[3 + fullLabel.length] = context.length;
  Buffer.from(context).copy(info, 4 + fullLabel.length);
  return hkdfExpand(hash, secret, info, length);
}

/** Record protection key and IV derived from one traffic secret. */
export interface TrafficKeys {
  /** AEAD key. */
  key: Buffer;
  /** 12-byte static IV, XORed with the record sequence number to make each nonce. */
  iv: Buffer;
}

/** Derives the record key and IV from a traffic secret (RFC 8446 section 7.3). */
export function deriveTrafficKeys(suite: CipherSuite, secret: Uint8Array): TrafficKeys {
  return {
    key: hkdfExpandLabel(suite.hash, secret, 'key', new Uint8Array(0), suite.keyLength),
    iv: hkdfExpandLabel(suite.hash, secret, 'iv', new Uint8Array(0), 12),
  };
}

/** The next application traffic secret after a KeyUpdate (RFC 8446 section 7.2). */
export function nextTrafficSecret(suite: CipherSuite, secret: Uint8Array): Buffer {
  return hkdfExpandLabel(suite.hash, secret, 'traffic upd', new Uint8Array(0), suite.hashLength);
}

/** The per-record nonce: the IV XOR the 64-bit sequence number, right-aligned (RFC 8446 section 5.3). */
export function recordNonce(iv: Uint8Array, sequence: bigint): Buffer {
  const nonce = Buffer.from(iv);
  for (let i = 0; i < 8; i++) {
    nonce[11 - i]! ^= Number((sequence >> BigInt(8 * i)) & 0xffn);
  }
  return nonce;
}
