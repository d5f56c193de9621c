// @peculiar/x509 needs a Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 signs through WebCrypto; node:crypto's implementation is the one to use (no home-made crypto).
x509.cryptoProvider.set(webcrypto as never);

/**
 * Issues the self-signed certificate that binds a key pair to its peer ID.
 * Loaded on demand (only when a node creates its identity): x509 and its polyfill cost ~20 MB of RSS, which an
 * idle node restarting with its stored identity should not pay.
 */
export async function createSelfSignedCertificate(
  keys: webcrypto.CryptoKeyPair, peerId: string, algorithm: { name: string; namedCurve: string; hash: string },
): Promise<string> {
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=p2p-${peerId.slice(0, 16)}`,
    notBefore: new Date(now - 24 * 3600_000),
    notAfter: new Date(now + 30 * 365 * 24 * 3600_000),
    signingAlgorithm: algorithm,
    keys: keys as never,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  return cert.toString('pem');
}
