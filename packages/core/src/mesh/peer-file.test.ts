import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PeerFileError } from '../errors.js';
import { peerIdToString } from '../identity/peer-id.js';
import { seedBookFromStore } from '../node/stored-peers.js';
import { PeerBook } from './peer-book.js';
import { decodePeerFile, encodePeerFile, readPeerFile, writePeerFile, type StoredPeer } from './peer-file.js';

/** A canonical peer ID derived from a small number. */
const id = (i: number): string => { const b = new Uint8Array(32); b[0] = i >> 8; b[1] = i & 0xff; return peerIdToString(b); };
const SELF = id(9999);
const dirs: string[] = [];
const tempDir = async (): Promise<string> => { const d = await mkdtemp(join(tmpdir(), 'p2p-peerfile-')); dirs.push(d); return d; };
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const stored = (i: number, host = '127.0.0.1'): StoredPeer =>
  ({ peerId: id(i), name: `p${i}`, address: { host, port: 1000 + i }, role: 'peer', lastSeenAt: i });

describe('peer file format', () => {
  it('stores only session-vouched (or still unrefuted stored) addresses, most recent first, bounded', () => {
    const book = new PeerBook(SELF);
    for (let i = 0; i < 10; i++) book.learn({ peerId: id(i), address: { host: '127.0.0.1', port: 1000 + i } }, 'session', true);
    book.learn({ peerId: id(50), address: { host: '10.9.9.9', port: 1 } }, 'lan');
    const peers = decodePeerFile(encodePeerFile(book.all(), 4));
    expect(peers).toHaveLength(4);
    expect(peers.map((p) => p.peerId)).not.toContain(id(50));
    expect(peers.map((p) => p.lastSeenAt)).toEqual([...peers.map((p) => p.lastSeenAt)].sort((a, b) => b - a));
  });

  it('skips malformed entries and rejects a document of the wrong shape with a typed error', () => {
    const text = JSON.stringify({ version: 1, peers: [
      { peerId: 'nope', host: 'h', port: 1 }, { peerId: id(1), host: '', port: 1 }, { peerId: id(2), host: 'h', port: 70_000 },
      null, 7, { peerId: id(3), host: '127.0.0.1', port: 3, role: 'king', verified: true, reached: true },
    ] });
    expect(decodePeerFile(text)).toEqual([{ peerId: id(3), name: '', address: { host: '127.0.0.1', port: 3 }, role: 'peer', lastSeenAt: 0 }]);
    expect(() => decodePeerFile('[1,2')).toThrow(PeerFileError);
    expect(() => decodePeerFile('{"version":2,"peers":[]}')).toThrow(PeerFileError);
    expect(() => decodePeerFile('null')).toThrow(PeerFileError);
  });

  it('writes atomically with mode 0600 and reads back; a missing file is empty, a huge one refused', async () => {
    const dir = await tempDir();
    const path = join(dir, 'peers.json');
    expect(await readPeerFile(path)).toEqual([]);
    const book = new PeerBook(SELF);
    book.learn({ peerId: id(1), name: 'one', address: { host: '::1', port: 7 } }, 'session', true);
    await writePeerFile(path, encodePeerFile(book.all()));
    await writePeerFile(path, encodePeerFile(book.all()));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['peers.json']);
    expect((await readPeerFile(path)).map((p) => p.address)).toEqual([{ host: '::1', port: 7 }]);
    await writeFile(path, `${await readFile(path, 'utf8')}${' '.repeat(2000)}`);
    await expect(readPeerFile(path, 1000)).rejects.toBeInstanceOf(PeerFileError);
  });
});

describe('seeding the book from the file', () => {
  it('adds stored peers as unproven: never verified or reached, within the unproven caps, forgotten on one failed dial', () => {
    const book = new PeerBook(SELF, 10_000, {}, 8, 32);
    const peers = Array.from({ length: 20 }, (_, i) => stored(20 - i)); // newest first, as in the file
    seedBookFromStore(book, [stored(0, '127.0.0.2'), ...peers, { ...stored(9999), peerId: SELF }], 8);
    expect(book.size).toBe(8);
    expect(book.unprovenCount).toBe(8);
    expect(book.all().every((r) => !r.verified && !r.reached && r.source === 'stored')).toBe(true);
    expect(book.get(SELF)).toBeUndefined();
    // The newest are kept and keep their age from the file.
    expect(book.get(id(0))?.lastSeenAt).toBe(0);
    book.dialFailed(id(0));
    expect(book.get(id(0))).toBeUndefined();
  });

  it('keeps at most the per-host cap from one host', () => {
    const book = new PeerBook(SELF, 10_000, {}, 256, 3);
    seedBookFromStore(book, Array.from({ length: 10 }, (_, i) => stored(i)), 256);
    expect(book.unprovenCount).toBe(3);
  });
});
