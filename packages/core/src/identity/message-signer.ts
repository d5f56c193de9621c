import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { NodeIdentity } from './node-identity.js';
import { peerIdFromPublicKey, peerIdToString } from './peer-id.js';

/**
 * Signs what a node writes, so that a message carried beyond one session proves its author: the peer ID is the
 * SHA-256 of the public key, so a receiver that gets the key beside the signature checks both at once.
 */
export interface MessageSigner {
  /** The author this signer speaks for. */
  readonly peerId: string;
  /** The author's public key, SubjectPublicKeyInfo DER (its SHA-256 is the peer ID). */
  readonly publicKey: Uint8Array;
  /** Signs the bytes (ECDSA P-256 with SHA-256, IEEE P1363 encoding: 64 bytes). */
  sign(data: Uint8Array): Uint8Array;
}

/** A signer for a loaded identity. */
export function createMessageSigner(identity: NodeIdentity): MessageSigner {
  const key = createPrivateKey(identity.keyPem);
  const publicKey = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  return {
    peerId: identity.peerId,
    publicKey,
    sign: (data) => new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })),
  };
}

// Keys seen recently, so that a busy receiver parses each author's key once.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 4096;

const cacheKey = (spki: Uint8Array) => Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString('base64');
const remember = (k: string, key: KeyObject) => {
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(k, key);
};

function publicKeyObject(spki: Uint8Array): KeyObject | undefined {
  const k = cacheKey(spki);
  let key = keyCache.get(k);
  if (key) return key;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
  remember(k, key);
  return key;
}

/**
 * Seeds the key cache with a key already parsed elsewhere (a TLS peer's certificate): parsing a key costs more than
 * checking a signature with it, and the peer of a session is the likeliest author of what comes next (a clique
 * client's first lines, checked by its server).
 */
export function rememberPublicKey(spki: Uint8Array, key: KeyObject): void {
  const k = cacheKey(spki);
  if (!keyCache.has(k)) remember(k, key);
}

/** The largest public key a message may carry (a P-256 key is 91 bytes of SubjectPublicKeyInfo DER). */
export const MAX_PUBLIC_KEY_BYTES = 1024;
/** The largest signature a message may carry (ours are 64 bytes). */
export const MAX_SIGNATURE_BYTES = 512;

/**
 * True when `signature` over `data` was made by the key `publicKey` and that key hashes to `author`.
 * Never throws: malformed keys or signatures are simply not proof.
 */
export function verifyAuthor(author: string, publicKey: Uint8Array, signature: Uint8Array, data: Uint8Array): boolean {
  if (publicKey.length === 0 || publicKey.length > MAX_PUBLIC_KEY_BYTES || signature.length === 0 || signature.length > MAX_SIGNATURE_BYTES) return false;
  if (peerIdToString(peerIdFromPublicKey(publicKey)) !== author) return false;
  const key = publicKeyObject(publicKey);
  if (!key) return false;
  try {
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
