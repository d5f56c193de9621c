// Search over real sockets: `get` by UDP on the LAN (loopback, a random discovery port) and through the mesh
// (sessions, hop by hop), answered by signed `found`s that come back to the asker.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdir, writeFile } from 'node:fs/promises';
import type { p2p } from '../../src/codec/wire.js';
import { verifyFound } from '../../src/files/index.js';
import { decodeDatagram, encodeDatagram } from '../../src/framing/datagram.js';
import { peerIdToString } from '../../src/identity/peer-id.js';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileHarness, type FileNodeUnderTest } from './file-helpers.js';
import { addressOf, waitFor } from '../helpers.js';

const fh = new FileHarness();

// Sends one Get datagram to the loopback broadcast address and gathers the Found datagrams that come back.
async function udpAsk(port: number, query: string, exact = false): Promise<p2p.v1.IFound[]> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  s.setBroadcast(true);
  const out: p2p.v1.IFound[] = [];
  s.on('message', (m) => { try { const f = decodeDatagram(m).envelope.found; if (f) out.push(f); } catch { /* not ours */ } });
  const get = { queryId: randomBytes(16), origin: randomBytes(32), query, exact, maxHops: 1 };
  s.send(encodeDatagram({ get }), port, '127.255.255.255');
  await new Promise((r) => setTimeout(r, 500));
  s.close();
  return out;
}
afterAll(() => fh.cleanup());

async function share(files: Record<string, string>): Promise<string> {
  const dir = await fh.dir();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('file search', () => {
  it('finds files across three nodes on the LAN by substring and by exact name', async () => {
    const lan = { enabled: true, interface: '127.0.0.1', mask: '255.0.0.0', port: 20000 + Math.floor(Math.random() * 20000), multicastGroup: '' };
    const mesh = { targetDegree: 2 };
    const a = await fh.start({ name: 'a', lan, mesh }, { shares: [await share({ 'docs/Report 2025.pdf': 'a-report', 'notes.txt': 'a-notes' })] });
    const b = await fh.start({ name: 'b', lan, mesh }, { shares: [await share({ 'report-final.txt': 'b-report' })] });
    const c = await fh.start({ name: 'c', lan, mesh });
    const hits = await c.files.search('REPORT', { timeoutMs: 1500 });
    expect(hits.map((x) => `${x.name}:${x.file}`).sort()).toEqual(['a:docs/Report 2025.pdf', 'b:report-final.txt']);
    const ha = hits.find((x) => x.name === 'a')!;
    expect(ha.peerId).toBe(a.node.peerId);
    expect(ha.root).toMatch(/^[0-9a-f]{64}$/);
    expect(ha.size).toBe(8);
    expect(ha.port).toBe(addressOf(a.node).port);
    const exact = await c.files.search('Report 2025.pdf', { exact: true, timeoutMs: 1000 });
    expect(exact.map((x) => x.file)).toEqual(['docs/Report 2025.pdf']);
    const byRoot = await c.files.search('', { root: hits.find((x) => x.name === 'b')!.root, timeoutMs: 1000 });
    expect(byRoot.map((x) => x.name)).toEqual(['b']);
    // The LAN path alone: a bare UDP socket (no node, no session) asks by datagram and gets signed answers back.
    const answers = await udpAsk(lan.port, 'notes');
    expect(answers.map((f) => f.fileName)).toEqual(['notes.txt']);
    expect(verifyFound(answers[0]!)).toBe(true);
    expect(peerIdToString(answers[0]!.peerId!)).toBe(a.node.peerId);
    void b;
  });

  it('finds files through the mesh, two hops away, with nothing on the LAN', async () => {
    const mesh = { targetDegree: 1 };
    const far = await fh.start({ name: 'far' , mesh }, { shares: [await share({ 'deep/secret-plans.md': 'plans' })] });
    const mid = await fh.start({ name: 'mid', mesh });
    const near = await fh.start({ name: 'near', mesh });
    await mid.node.connect(addressOf(far.node), far.node.peerId);
    await near.node.connect(addressOf(mid.node), mid.node.peerId);
    await waitFor(() => near.node.peers().some((p) => p.peerId === mid.node.peerId && p.state === 'connected'));
    const hits = await near.files.search('plans', { timeoutMs: 1500 });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ peerId: far.node.peerId, name: 'far', file: 'deep/secret-plans.md', hops: 1 });
    expect(mid.files.stats().relayed).toBe(1);
    // The answer is usable: download it from two hops away by dialling the holder it names.
    const d = await near.files.download({ target: hits[0]!.root, hits });
    const path = await d.done;
    expect(path.startsWith(near.files.downloadsDir)).toBe(true);
  });

  it('refuses search names with path tricks and answers nothing for them', async () => {
    const lan = { enabled: true, interface: '127.0.0.1', mask: '255.0.0.0', port: 20000 + Math.floor(Math.random() * 20000), multicastGroup: '' };
    const holder: FileNodeUnderTest = await fh.start({ name: 'h', lan, mesh: { targetDegree: 1 } }, { shares: [await share({ 'x/passwd': 'nope' })] });
    const tricks = ['../x/passwd', 'x/../x/passwd', '/x/passwd', 'x%2fpasswd', 'x\u0000/passwd', 'x//passwd'];
    for (const q of tricks) expect(await udpAsk(lan.port, q, true)).toEqual([]);
    expect(holder.files.stats().refusedSearches).toBe(tricks.length);
    expect(await udpAsk(lan.port, 'x/passwd', true)).toHaveLength(1);
  });
});
