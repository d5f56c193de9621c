import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IdentityFileError } from '../errors.js';
import { CERT_FILE, KEY_FILE, generateIdentity, loadOrCreateIdentity, peerIdFromCertificate } from './node-identity.js';
import { isPeerIdString } from './peer-id.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

describe('node identity', () => {
  it('is created with private modes on first start and reloaded unchanged after', async () => {
    const base = await mkdtemp(join(tmpdir(), 'p2p-id-'));
    dirs.push(base);
    const dir = join(base, 'data');
    const first = await loadOrCreateIdentity(dir);
    expect(isPeerIdString(first.peerId)).toBe(true);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, KEY_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, CERT_FILE))).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateIdentity(dir);
    expect(again.peerId).toBe(first.peerId);
    expect(peerIdFromCertificate(Buffer.from(again.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))).toBe(first.peerId);
  });

  it('refuses a certificate that does not match the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'p2p-id-'));
    dirs.push(dir);
    await loadOrCreateIdentity(dir);
    const other = await generateIdentity();
    await writeFile(join(dir, CERT_FILE), other.certPem);
    await expect(loadOrCreateIdentity(dir)).rejects.toBeInstanceOf(IdentityFileError);
  });
});
