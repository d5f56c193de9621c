import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdentityFileError } from '../errors.js';
import type { PeerIdString } from './peer-id.js';
import { peerIdFromPublicKey, peerIdToString } from './peer-id.js';

/** File names inside dataDir. */
export const KEY_FILE = 'node-key.pem';
/** File name of the self-signed certificate inside dataDir. */
export const CERT_FILE = 'node-cert.pem';

/** A node's long-term identity: ECDSA P-256 key, self-signed certificate, and the peer ID derived from the key. */
export interface NodeIdentity {
  /** Binary peer ID: SHA-256 of the SubjectPublicKeyInfo DER. */
  peerIdBytes: Uint8Array;
  /** Text form of the peer ID. */
  peerId: PeerIdString;
  /** PKCS#8 private key, PEM. */
  keyPem: string;
  /** Self-signed X.509 certificate, PEM. */
  certPem: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** Derives the peer ID bound to a certificate (DER bytes or node:crypto X509Certificate) from its public key. */
export function peerIdFromCertificate(cert: X509Certificate | Uint8Array): PeerIdString {
  const c = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  const spki = c.publicKey.export({ type: 'spki', format: 'der' });
  return peerIdToString(peerIdFromPublicKey(spki));
}

/** Generates a fresh identity in memory (used on first start, and by tests that need extra keys). */
export async function generateIdentity(): Promise<NodeIdentity> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey));
  const peerIdBytes = peerIdFromPublicKey(spki);
  const peerId = peerIdToString(peerIdBytes);
  const { createSelfSignedCertificate } = await import('./self-signed-certificate.js');
  const certPem = await createSelfSignedCertificate(keys, peerId, ALG);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
  return { peerIdBytes, peerId, keyPem, certPem };
}

/** Checks that a key and a certificate belong together and returns the identity they form. */
export function identityFromPem(keyPem: string, certPem: string): NodeIdentity {
  let cert: X509Certificate;
  let keySpki: Buffer;
  try {
    cert = new X509Certificate(certPem);
    keySpki = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  } catch (err) {
    throw new IdentityFileError(`cannot parse key or certificate: ${(err as Error).message}`, { cause: err });
  }
  const certSpki = cert.publicKey.export({ type: 'spki', format: 'der' });
  if (!certSpki.equals(keySpki)) throw new IdentityFileError('the certificate does not match the private key');
  const peerIdBytes = peerIdFromPublicKey(certSpki);
  return { peerIdBytes, peerId: peerIdToString(peerIdBytes), keyPem, certPem };
}

async function writePrivate(path: string, data: string): Promise<void> {
  // Written beside then renamed, so that a crash never leaves half a key behind.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode: 0o600, flag: 'wx' });
  await rename(tmp, path);
}

/**
 * Loads the identity from dataDir, creating dataDir (mode 0700) and a new key + certificate (mode 0600) on first
 * start. Files readable by others are tightened to 0600.
 */
export async function loadOrCreateIdentity(dataDir: string): Promise<NodeIdentity> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const keyPath = join(dataDir, KEY_FILE);
  const certPath = join(dataDir, CERT_FILE);
  let keyPem: string | undefined;
  let certPem: string | undefined;
  try {
    keyPem = await readFile(keyPath, 'utf8');
    certPem = await readFile(certPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new IdentityFileError(`cannot read ${keyPath}: ${(err as Error).message}`, { cause: err });
    }
    if (keyPem !== undefined) throw new IdentityFileError(`${keyPath} exists but ${certPath} is missing`);
  }
  if (keyPem !== undefined && certPem !== undefined) {
    for (const p of [keyPath, certPath]) {
      const s = await stat(p);
      if ((s.mode & 0o077) !== 0) await chmod(p, 0o600);
    }
    return identityFromPem(keyPem, certPem);
  }
  const identity = await generateIdentity();
  await writePrivate(keyPath, identity.keyPem);
  await writePrivate(certPath, identity.certPem);
  return identity;
}
