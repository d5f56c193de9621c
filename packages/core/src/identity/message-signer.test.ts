import { describe, expect, it } from 'vitest';
import { createMessageSigner, rememberPublicKey, verifyAuthor } from './message-signer.js';
import { generateIdentity } from './node-identity.js';

describe('message signer', () => {
  it('proves the author and nothing else', async () => {
    const alice = createMessageSigner(await generateIdentity());
    const mallory = createMessageSigner(await generateIdentity());
    const data = new TextEncoder().encode('hello');
    const sig = alice.sign(data);
    expect(sig.length).toBe(64);
    expect(verifyAuthor(alice.peerId, alice.publicKey, sig, data)).toBe(true);
    expect(verifyAuthor(alice.peerId, alice.publicKey, sig, new TextEncoder().encode('hellO'))).toBe(false);
    expect(verifyAuthor(alice.peerId, mallory.publicKey, mallory.sign(data), data)).toBe(false);
    expect(verifyAuthor(mallory.peerId, mallory.publicKey, sig, data)).toBe(false);
    expect(verifyAuthor(alice.peerId, new Uint8Array(10), sig, data)).toBe(false);
    expect(verifyAuthor(alice.peerId, alice.publicKey, new Uint8Array(3), data)).toBe(false);
  });
});

describe('rememberPublicKey', () => {
  it('a key taken from a certificate checks signatures as the parsed key would, and never vouches for another key', async () => {
    const { X509Certificate } = await import('node:crypto');
    const id = await generateIdentity();
    const other = await generateIdentity();
    const signer = createMessageSigner(id);
    const cert = new X509Certificate(id.certPem);
    rememberPublicKey(signer.publicKey, cert.publicKey);
    const data = Buffer.from('a line');
    const sig = signer.sign(data);
    expect(verifyAuthor(id.peerId, signer.publicKey, sig, data)).toBe(true);
    expect(verifyAuthor(id.peerId, signer.publicKey, sig, Buffer.from('another line'))).toBe(false);
    expect(verifyAuthor(other.peerId, createMessageSigner(other).publicKey, sig, data)).toBe(false);
  });
});
