import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../codec/wire.js';
import { createMessageSigner, type MessageSigner } from '../identity/message-signer.js';
import { loadOrCreateIdentity } from '../identity/node-identity.js';
import { peerIdFromString } from '../identity/peer-id.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { silentLogger } from '../util/logger.js';
import { blockSizeFor, computeRoot, toHex } from './block-layout.js';
import { createSearchEngine } from './search-engine.js';
import type { ShareIndex } from './share-index.js';
import type { SharedFile } from './shared-file.js';
import { DEFAULT_FILE_LIMITS, type FileNode } from './types.js';

// A node that records what it sends, with a fixed set of connected peers; no sockets.
function fakeNode(signer: MessageSigner, peers: string[]) {
  const sent: { to: string; env: Envelope }[] = [];
  const node = {
    peerId: signer.peerId, name: 'me', signer,
    listenAddress: () => ({ host: '127.0.0.1', port: 7000 }),
    peers: () => peers.map((peerId) => ({ peerId, state: 'connected' })),
    sendEnvelope: (to: string, env: Envelope) => { sent.push({ to, env }); return true; },
    sendLan: (env: Envelope) => { sent.push({ to: 'lan', env }); return true; },
    sendLanTo: (env: Envelope) => { sent.push({ to: 'lan-reply', env }); return true; },
  } as unknown as FileNode;
  return { node, sent };
}

function indexWith(files: SharedFile[]): ShareIndex {
  return {
    search: (q: string, exact: boolean, limit: number) => files.filter((f) => (exact ? f.name === q : f.name.includes(q))).slice(0, limit),
    byRoot: (h: string) => files.find((f) => f.rootHex === h),
  } as unknown as ShareIndex;
}

const file = (name: string): SharedFile => {
  const hashes = new Uint8Array(32).fill(name.length);
  const root = computeRoot(10, blockSizeFor(10), hashes);
  return { share: '/s', name, path: `/s/${name}`, size: 10, mtimeMs: 0, ino: 1, sha256: new Uint8Array(32), blockSize: blockSizeFor(10), hashes, root, rootHex: toHex(root) };
};

describe('search engine (virtual time, no sockets)', () => {
  let dir: string;
  let me: MessageSigner;
  let peerIds: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2p-search-'));
    me = createMessageSigner(await loadOrCreateIdentity(join(dir, 'me')));
    peerIds = [];
    for (const n of ['a', 'b', 'c']) peerIds.push((await loadOrCreateIdentity(join(dir, n))).peerId);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const get = (id: number, hopCount = 0, maxHops = 4) => ({
    get: { queryId: new Uint8Array(16).fill(id), origin: peerIdFromString(peerIds[2]!), query: 'rep', hopCount, maxHops },
  });

  it('answers and forwards a query once, within the hop limit, never back where it came from', () => {
    const clock = new VirtualClock();
    const { node, sent } = fakeNode(me, peerIds);
    const engine = createSearchEngine({ node, index: indexWith([file('report.pdf')]), limits: DEFAULT_FILE_LIMITS, logger: silentLogger, clock });
    engine.handle(get(1), { peer: peerIds[0]! });
    engine.handle(get(1), { peer: peerIds[1]! });
    const found = sent.filter((s) => s.env.found);
    expect(found.map((s) => s.to)).toEqual([peerIds[0]]);
    expect(found[0]!.env.found!.fileName).toBe('report.pdf');
    // Forwarded to b only: not back to a, not to the origin c; the duplicate from b changed nothing.
    expect(sent.filter((s) => s.env.get).map((s) => [s.to, s.env.get!.hopCount])).toEqual([[peerIds[1], 1]]);
    sent.length = 0;
    engine.handle(get(2, 3, 4), { peer: peerIds[0]! });
    expect(sent.filter((s) => s.env.get)).toEqual([]);
    expect(sent.filter((s) => s.env.found)).toHaveLength(1);
  });

  it('limits queries per second per peer, refilled as virtual time passes', () => {
    const clock = new VirtualClock();
    const { node, sent } = fakeNode(me, []);
    const engine = createSearchEngine({ node, index: indexWith([file('report.pdf')]), limits: DEFAULT_FILE_LIMITS, logger: silentLogger, clock });
    for (let i = 0; i < 100; i++) engine.handle(get(i + 10), { peer: peerIds[0]! });
    expect(sent.length).toBe(DEFAULT_FILE_LIMITS.queriesPerSecond * 2);
    expect(engine.stats().rateLimited).toBe(100 - DEFAULT_FILE_LIMITS.queriesPerSecond * 2);
    // Another peer has its own budget.
    engine.handle(get(200), { peer: peerIds[1]! });
    expect(sent.length).toBe(DEFAULT_FILE_LIMITS.queriesPerSecond * 2 + 1);
    clock.advance(1000);
    for (let i = 0; i < 100; i++) engine.handle(get(i + 300), { peer: peerIds[0]! });
    expect(sent.length).toBe(DEFAULT_FILE_LIMITS.queriesPerSecond * 3 + 1);
  });

  it('caps answers per query and relays answers back along the query\'s path', () => {
    const clock = new VirtualClock();
    const many = Array.from({ length: 80 }, (_, i) => file(`rep-${i}`));
    const { node, sent } = fakeNode(me, []);
    const engine = createSearchEngine({ node, index: indexWith(many), limits: DEFAULT_FILE_LIMITS, logger: silentLogger, clock });
    engine.handle(get(50), { peer: peerIds[0]! });
    expect(sent.filter((s) => s.env.found)).toHaveLength(DEFAULT_FILE_LIMITS.resultsPerQuery);
    sent.length = 0;
    // Someone else's answer to that query, arriving from b: relayed one hop back to a, with its hop count raised.
    const answer = { queryId: new Uint8Array(16).fill(50), to: peerIdFromString(peerIds[2]!), peerId: peerIdFromString(peerIds[1]!), hopCount: 1 };
    engine.handle({ found: answer }, { peer: peerIds[1]! });
    expect(sent.map((s) => [s.to, s.env.found?.hopCount])).toEqual([[peerIds[0], 2]]);
    // An answer to a query never seen goes nowhere.
    sent.length = 0;
    engine.handle({ found: { ...answer, queryId: new Uint8Array(16).fill(99) } }, { peer: peerIds[1]! });
    expect(sent).toEqual([]);
    // An answer carrying a megabyte-long file or holder name is dropped, not relayed (nor kept as a hit).
    for (const huge of [{ fileName: 'x'.repeat(1 << 20) }, { holderName: 'h'.repeat(100_000) }, { host: 'h'.repeat(10_000) }]) {
      engine.handle({ found: { ...answer, ...huge } }, { peer: peerIds[1]! });
    }
    expect(sent).toEqual([]);
  });
});
