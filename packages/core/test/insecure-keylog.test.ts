// The lab modes: plaintext sessions (peer ID from Hello) and the TLS key log (NSS format) for decrypting captures.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, addressOf, waitFor } from './helpers.js';

let h: Harness;
afterEach(async () => { await h.cleanup(); });

describe('lab modes', () => {
  it('runs plaintext sessions in insecure mode, the peer ID taken from Hello', async () => {
    h = new Harness();
    const a = await h.node({ insecure: true, name: 'a' });
    const b = await h.node({ insecure: true, name: 'b', seeds: [addressOf(a)] });
    await waitFor(() => a.peers().some((p) => p.peerId === b.peerId && p.state === 'connected'));
    expect((await a.send('b', 'in the clear')).status).toBe('delivered');
  });

  it('does not mix: a TLS node and a plaintext node never open a session', async () => {
    h = new Harness();
    const failures: string[] = [];
    const record = (_o: object | string, msg?: string): void => { if (msg === 'inbound TLS handshake failed') failures.push(msg); };
    const logger = { debug: record, info: record, warn: record, error: record };
    const a = await h.node({ name: 'tls', mesh: { handshakeTimeoutMs: 500 }, logger });
    const b = await h.node({ insecure: true, name: 'plain', seeds: [addressOf(a)], mesh: { handshakeTimeoutMs: 500 } });
    // The plain node dials its seed, fails, backs off and dials again: two failed handshakes, and no session.
    await waitFor(() => failures.length >= 2, 15_000, 'two failed handshakes');
    expect(a.peers().filter((p) => p.state === 'connected')).toHaveLength(0);
    expect(b.peers().filter((p) => p.state === 'connected')).toHaveLength(0);
  });

  it('appends TLS secrets of client and server sockets to the key log file', async () => {
    h = new Harness();
    const dir = await h.dir();
    const keylogFile = join(dir, 'keys.log');
    const a = await h.node({ keylogFile });
    const b = await h.node({ keylogFile, seeds: [addressOf(a)] });
    await waitFor(() => a.peers().some((p) => p.peerId === b.peerId && p.state === 'connected'));
    await a.stop();
    await b.stop();
    const lines = (await readFile(keylogFile, 'utf8')).trim().split('\n');
    const labels = new Set(lines.map((l) => l.split(' ')[0]));
    for (const label of ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0']) {
      expect(labels.has(label)).toBe(true);
    }
    // Both ends wrote: each secret of the one handshake appears twice (client socket and server socket).
    expect(lines.filter((l) => l.startsWith('CLIENT_TRAFFIC_SECRET_0'))).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+$/);
  });
});
