// Whole nodes (createNode) on the in-memory transport: LAN discovery over simulated datagrams, then crashes,
// freezes and cut links injected; the survivors detect them, heal, and keep delivering broadcasts exactly once.
import { afterAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../src/message/inbound-message.js';
import { createMemoryNetwork } from '../src/transport/memory-network.js';
import { Harness, waitFor, type TestNode } from './helpers.js';

const N = 60;
const TARGET = 4;
const h = new Harness();
afterAll(async () => { await h.cleanup(); });

describe('nodes on the in-memory network', () => {
  it('discover each other, survive crashes, freezes and cut links, and deliver broadcasts exactly once', async () => {
    const net = createMemoryNetwork();
    const nodes: TestNode[] = [];
    for (let i = 0; i < N; i++) {
      nodes.push(await h.node({ name: `m${i}`, transport: net.factory, lan: { enabled: true, intervalMs: 2000 }, mesh: { targetDegree: TARGET } }));
    }
    const inbox = new Map<TestNode, InboundMessage[]>(nodes.map((n) => [n, []]));
    for (const n of nodes) n.on('message', (m) => inbox.get(n)!.push(m));
    const degree = (n: TestNode): number => n.peers().filter((p) => p.state === 'connected').length;
    await waitFor(() => nodes.every((n) => degree(n) >= TARGET), 30_000, 'target degree everywhere');
    expect(nodes[0]!.listenAddress()!.host).toMatch(/^mem:\d+$/);

    const first = nodes[0]!.broadcast('one');
    await waitFor(() => nodes.slice(1).every((n) => inbox.get(n)!.some((m) => m.id === first.messageId)), 10_000, 'first broadcast');

    // 10% crash, 5% freeze, and a few links are cut.
    const crashed = nodes.slice(10, 16);
    const frozen = nodes.slice(20, 23);
    const frozenIds = new Set(frozen.map((n) => n.peerId));
    const frozenReasons: string[] = [];
    let frozenAt = Infinity;
    const crashedSet = new Set(crashed);
    // What the survivors saw (a killed node's own sessions do close under it).
    for (const n of nodes) n.on('peer:disconnect', (e) => { if (!crashedSet.has(n) && frozenIds.has(e.peerId) && Date.now() >= frozenAt) frozenReasons.push(e.reason); });
    for (const n of crashed) net.kill(n.peerId);
    frozenAt = Date.now();
    for (const n of frozen) net.freeze(n.peerId);
    const dead = new Set([...crashed, ...frozen].map((n) => n.peerId));
    const live = nodes.filter((n) => !dead.has(n.peerId));
    const cuts: [TestNode, TestNode][] = [];
    for (const n of live.slice(0, 5)) {
      const neighbour = n.peers().find((p) => p.state === 'connected' && !dead.has(p.peerId));
      const other = live.find((x) => x.peerId === neighbour?.peerId);
      if (other) { net.cut(n.peerId, other.peerId); cuts.push([n, other]); }
    }
    const detected = (): boolean => live.every((n) => !n.peers().some((p) => p.state === 'connected' && dead.has(p.peerId)))
      && cuts.every(([a, b]) => !a.peers().some((p) => p.peerId === b.peerId && p.state === 'connected'));
    await waitFor(detected, 15_000, 'failures detected');
    // A frozen node's sockets stay open: its neighbours found out by missed pings, not by a closed socket.
    expect(frozenReasons.length).toBeGreaterThan(0);
    expect(frozenReasons.some((r) => /^dead: missed \d+ pings/.test(r))).toBe(true);
    for (const r of frozenReasons) expect(r).not.toMatch(/^socket/);
    expect(live.reduce((sum, n) => sum + n.stats().peersDeclaredDead, 0)).toBeGreaterThan(0);
    await waitFor(() => live.every((n) => degree(n) >= TARGET), 30_000, 'healed to the target degree').catch((err) => {
      for (const n of live.filter((x) => degree(x) < TARGET)) {
        console.log('DBG', n.name, degree(n), JSON.stringify(n.peers().map((p) => `${p.name}:${p.state}:${p.load}`)));
      }
      throw err;
    });

    const second = live[7]!.broadcast('two');
    const receivers = live.filter((n) => n !== live[7]);
    await waitFor(() => receivers.every((n) => inbox.get(n)!.some((m) => m.id === second.messageId)), 15_000, 'second broadcast');
    // A later broadcast from the same origin follows it over the same links: once it is everywhere, the second one
    // had its chance to be delivered twice.
    const marker = live[7]!.broadcast('marker');
    await waitFor(() => receivers.every((n) => inbox.get(n)!.some((m) => m.id === marker.messageId)), 15_000, 'marker broadcast');
    for (const n of receivers) expect(inbox.get(n)!.filter((m) => m.id === second.messageId)).toHaveLength(1);
    const dups = live.reduce((s, n) => s + n.stats().broadcastDuplicates, 0);
    console.log(`memory network: ${live.length} live nodes, ${dups} duplicate broadcast copies in total`);

    // A thawed node comes back: it notices its sessions died and reconnects.
    for (const n of frozen) net.thaw(n.peerId);
    await waitFor(() => frozen.every((n) => degree(n) >= 1), 30_000, 'thawed nodes reconnect');
  }, 120_000);
});
