// The peer book kept across restarts, over real sockets on loopback with LAN discovery off: a restarted node with
// no seeds finds its previous peer from dataDir/peers.json alone, and a bad peers file never stops a node.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PEER_FILE } from '../src/mesh/peer-file.js';
import { createNode } from '../src/node/create-node.js';
import { Harness, addressOf, waitFor, type TestNode } from './helpers.js';

const h = new Harness();
afterAll(async () => { await h.cleanup(); });

const connectedTo = (n: TestNode, id: string): boolean => n.peers().some((p) => p.peerId === id && p.state === 'connected');

/** Starts a node on a data dir, collecting the warnings raised while it starts. */
async function startCollecting(dataDir: string): Promise<{ node: TestNode; warnings: { code: string }[] }> {
  const node = createNode({ dataDir, name: 'c', listen: { host: '127.0.0.1', port: 0 }, lan: { enabled: false } });
  h.nodes.push(node);
  const warnings: { code: string }[] = [];
  node.on('warning', (w) => warnings.push(w));
  await node.start();
  return { node, warnings };
}

describe('stored peer book', () => {
  it('lets a restarted node with no seeds and no LAN reconnect to its previous peer by itself', async () => {
    const dirA = await h.dir();
    const dirB = await h.dir();
    const a = await h.node({ dataDir: dirA, name: 'a' });
    const b = await h.node({ dataDir: dirB, name: 'b' });
    const portB = addressOf(b).port;
    await a.connect(addressOf(b));
    await waitFor(() => connectedTo(a, b.peerId!) && connectedTo(b, a.peerId!), 10_000, 'a and b connected');
    await a.stop();
    await b.stop();

    const file = join(dirA, PEER_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { peers: { peerId: string; port: number }[] };
    expect(stored.peers).toEqual([expect.objectContaining({ peerId: b.peerId, port: portB })]);

    // Only a's file can explain the reconnection: b forgets a, and a listens on a new port anyway.
    await rm(join(dirB, PEER_FILE));
    const b2 = await h.node({ dataDir: dirB, name: 'b', listen: { host: '127.0.0.1', port: portB } });
    const a2 = await h.node({ dataDir: dirA, name: 'a' });
    // Known from the file, but not proven until this run's dial succeeds.
    await waitFor(() => connectedTo(a2, b2.peerId!), 20_000, 'a reconnects to b from its stored peers');
    expect(b2.peerId).toBe(b.peerId);
  });

  it('starts with an empty book when peers.json is corrupt, and replaces it', async () => {
    const dir = await h.dir();
    await writeFile(join(dir, PEER_FILE), '{"version": 1, "peers": [ garbage');
    const { node, warnings } = await startCollecting(dir);
    expect(addressOf(node).port).toBeGreaterThan(0);
    expect(warnings.map((w) => w.code)).toContain('ERR_PEER_FILE');
    await node.stop();
    expect(JSON.parse(await readFile(join(dir, PEER_FILE), 'utf8'))).toEqual({ version: 1, peers: [] });
  });

  it('refuses to read a huge peers.json and still starts', async () => {
    const dir = await h.dir();
    await writeFile(join(dir, PEER_FILE), Buffer.alloc(3 * 1024 * 1024, 0x20));
    const { node, warnings } = await startCollecting(dir);
    expect(addressOf(node).port).toBeGreaterThan(0);
    expect(warnings.map((w) => w.code)).toContain('ERR_PEER_FILE');
    await node.stop();
    expect((await stat(join(dir, PEER_FILE))).size).toBeLessThan(1024);
  });
});
