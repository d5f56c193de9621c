// Seed nodes over real sockets on loopback (no LAN discovery): registration, peer lists from several seeds,
// a bounded random subset of connections, one seed dying, and dead reports confirmed before anyone is dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerIdFromString } from '../src/identity/peer-id.js';
import type { InboundMessage } from '../src/message/inbound-message.js';
import type { Logger } from '../src/util/logger.js';
import { Harness, addressOf, waitFor, type TestNode } from './helpers.js';

const PEERS = 12;
const TARGET = 3;
const h = new Harness();
let seeds: TestNode[] = [];
let peers: TestNode[] = [];
const mesh = { targetDegree: TARGET };
/** What the first seed logged: how the test sees that it has finished checking a dead report. */
const seedLog: string[] = [];
const record = (_o: object | string, msg?: string): void => { seedLog.push(msg ?? ''); };
const seedLogger: Logger = { debug: record, info: record, warn: record, error: record };
const meshLinks = (n: TestNode): number => n.peers().filter((p) => p.state === 'connected' && p.role !== 'seed').length;

beforeAll(async () => {
  seeds = [await h.node({ role: 'seed', name: 'seed-a', seedTtlMs: 60_000, logger: seedLogger }), await h.node({ role: 'seed', name: 'seed-b', seedTtlMs: 60_000 })];
  const seedList = seeds.map(addressOf);
  peers = await Promise.all(Array.from({ length: PEERS }, (_, i) => h.node({ name: `p${i}`, seeds: seedList, mesh })));
});
afterAll(async () => { await h.cleanup(); });

describe('seed nodes', () => {
  it('register every peer, and peers connect to a bounded subset of the union of their lists', async () => {
    await waitFor(() => peers.every((p) => meshLinks(p) >= TARGET), 20_000, 'every peer at its target degree');
    for (const p of peers) {
      expect(p.peers().filter((x) => x.role === 'seed' && x.state === 'connected')).toHaveLength(2);
      expect(p.peers().filter((x) => x.role !== 'seed').length).toBeGreaterThanOrEqual(TARGET);
    }
    expect(peers.some((p) => meshLinks(p) < PEERS - 1)).toBe(true);
  });

  it('carry broadcasts to every node exactly once and routes direct messages', async () => {
    const inbox = new Map<TestNode, InboundMessage[]>();
    for (const n of [...seeds, ...peers]) {
      inbox.set(n, []);
      n.on('message', (m) => inbox.get(n)!.push(m));
    }
    const { messageId } = peers[0]!.broadcast('via seeds');
    const others = [...seeds, ...peers.slice(1)];
    await waitFor(() => others.every((n) => inbox.get(n)!.some((m) => m.id === messageId)), 10_000, 'broadcast');
    // A second broadcast from the same origin follows the first over the same sessions: once it is everywhere,
    // so are the copies of the first that went the same way; the seen-cache must have kept each to one delivery.
    const marker = peers[0]!.broadcast('marker').messageId;
    await waitFor(() => others.every((n) => inbox.get(n)!.some((m) => m.id === marker)), 10_000, 'marker broadcast');
    for (const n of others) expect(inbox.get(n)!.filter((m) => m.id === messageId)).toHaveLength(1);
    const result = await peers[0]!.send(peers[PEERS - 1]!.peerId, 'hi', { timeoutMs: 5000 });
    expect(result.status).toBe('delivered');
  });

  it('ignore a false dead report: the seed checks for itself', async () => {
    const [reporter, victim] = [peers[0]!, peers[1]!];
    reporter.sendEnvelope(seeds[0]!.peerId, { deadReport: { peerId: peerIdFromString(victim.peerId), reason: 'lies' } });
    // The seed pings the victim itself; the newcomer asks only once the seed has its answer.
    await waitFor(() => seedLog.includes('dead report refuted: the peer answered'), 10_000, 'the seed to check the report');
    const newcomer = await h.node({ name: 'late', seeds: [addressOf(seeds[0]!)], mesh });
    await waitFor(() => newcomer.peers().filter((p) => p.role !== 'seed').length >= PEERS - 1, 10_000, 'peer list');
    expect(newcomer.peers().some((p) => p.peerId === victim.peerId)).toBe(true);
    peers.push(newcomer);
  });

  it('keep working when one seed dies: a newcomer listing both still joins', async () => {
    await seeds[0]!.stop();
    const newcomer = await h.node({ name: 'later', seeds: seeds.map((s) => s.listenAddress() ?? { host: '127.0.0.1', port: 1 }), mesh });
    await waitFor(() => meshLinks(newcomer) >= TARGET, 15_000, 'newcomer at target degree through the live seed');
    expect(newcomer.peers().filter((p) => p.role === 'seed' && p.state === 'connected').map((p) => p.peerId)).toEqual([seeds[1]!.peerId]);
  });

  it('drop a peer that is really gone from the registry', async () => {
    const gone = peers[2]!;
    const goneId = gone.peerId;
    await gone.stop();
    // Its goodbye ends its registration with the seed the newcomer asks.
    await waitFor(() => !seeds[1]!.peers().some((p) => p.peerId === goneId && p.state === 'connected'), 10_000, 'the seed to see it go');
    const newcomer = await h.node({ name: 'latest', seeds: [addressOf(seeds[1]!)], mesh });
    await waitFor(() => newcomer.peers().filter((p) => p.role !== 'seed').length >= PEERS - 2, 10_000, 'peer list');
    expect(newcomer.peers().some((p) => p.peerId === goneId)).toBe(false);
  });
});
