import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMessageSigner } from '../identity/message-signer.js';
import { loadOrCreateIdentity } from '../identity/node-identity.js';
import { peerIdFromString } from '../identity/peer-id.js';
import { signFound, verifyFound } from './found-signature.js';

describe('signed Found', () => {
  it('verifies when untouched, fails when any signed field or the key changes, ignores the hop count', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'p2p-found-'));
    try {
      const a = createMessageSigner(await loadOrCreateIdentity(join(dir, 'a')));
      const b = createMessageSigner(await loadOrCreateIdentity(join(dir, 'b')));
      const base = {
        queryId: new Uint8Array(16).fill(1), peerId: peerIdFromString(a.peerId), to: new Uint8Array(32).fill(2), fileName: 'x.bin',
        size: 10, sha256: new Uint8Array(32).fill(3), blockSize: 131072, root: new Uint8Array(32).fill(4), holderName: 'a', host: '127.0.0.1', port: 7000,
      };
      const f = signFound(base, a);
      expect(verifyFound(f)).toBe(true);
      expect(verifyFound({ ...f, hopCount: 3 })).toBe(true);
      expect(verifyFound({ ...f, fileName: 'y.bin' })).toBe(false);
      expect(verifyFound({ ...f, size: 11 })).toBe(false);
      expect(verifyFound({ ...f, port: 7001 })).toBe(false);
      expect(verifyFound({ ...f, root: new Uint8Array(32).fill(5) })).toBe(false);
      // b signs but claims to be a: the key does not hash to the peer ID.
      expect(verifyFound(signFound(base, b))).toBe(false);
      expect(verifyFound({ ...f, signature: undefined })).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
