import { createPrivateKey, createPublicKey, type JsonWebKey, type webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import { SealError } from '../errors.js';

/**
 * HPKE (RFC 9180) base mode, DHKEM(P-256, HKDF-SHA256) + HKDF-SHA256 + AES-128-GCM, with the peers' identity keys:
 * the recipient's P-256 key (the one its peer ID hashes) is the KEM key, so there is no second key to distribute or
 * store. The sender's authorship is proven by its signature over the ciphertext, and the ciphertext is bound to
 * message ID, author and recipient through the AEAD's additional data.
 */
export interface DirectSealer {
  /** Encrypts `plaintext` to the holder of `recipientSpki` (SubjectPublicKeyInfo DER of a P-256 key). */
  seal(recipientSpki: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<{ enc: Uint8Array; ciphertext: Uint8Array }>;
  /** Decrypts what was sealed to this node's key; rejects with SealError when it was not, or was changed. */
  open(enc: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
}

const INFO = new TextEncoder().encode('p2p-toolkit/v1 sealed direct');
/** Recipient keys imported recently, so a busy sender converts each key once. */
const PUBLIC_KEY_CACHE = 256;

/** A sealer for the node whose private key (PKCS#8 PEM, P-256) is `keyPem`. */
export function createDirectSealer(keyPem: string): DirectSealer {
  const suite = new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
  let privateKey: Promise<CryptoKey> | undefined;
  const publicKeys = new Map<string, Promise<CryptoKey>>();

  const recipientKey = (spki: Uint8Array): Promise<CryptoKey> => {
    const k = Buffer.from(spki).toString('base64');
    let key = publicKeys.get(k);
    if (!key) {
      const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new SealError('the recipient key is not a P-256 key');
      const raw = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
      key = suite.kem.deserializePublicKey(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
      if (publicKeys.size >= PUBLIC_KEY_CACHE) publicKeys.delete(publicKeys.keys().next().value as string);
      publicKeys.set(k, key);
    }
    return key;
  };

  return {
    async seal(recipientSpki, plaintext, aad) {
      let ctx;
      try {
        ctx = await suite.createSenderContext({ recipientPublicKey: await recipientKey(recipientSpki), info: INFO });
      } catch (err) {
        throw err instanceof SealError ? err : new SealError('cannot seal to that key', { cause: err });
      }
      const ciphertext = new Uint8Array(await ctx.seal(toArrayBuffer(plaintext), toArrayBuffer(aad)));
      return { enc: new Uint8Array(ctx.enc), ciphertext };
    },
    async open(enc, ciphertext, aad) {
      try {
        privateKey ??= suite.kem.importKey('jwk', createPrivateKey(keyPem).export({ format: 'jwk' }) as JsonWebKey, false);
        const ctx = await suite.createRecipientContext({ recipientKey: await privateKey, enc: toArrayBuffer(enc), info: INFO });
        return new Uint8Array(await ctx.open(toArrayBuffer(ciphertext), toArrayBuffer(aad)));
      } catch (err) {
        throw new SealError('the sealed payload cannot be opened with this key', { cause: err });
      }
    },
  };
}

function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
