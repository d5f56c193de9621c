// LAN discovery over real UDP on loopback (subnet broadcast 127.255.255.255 and multicast), many nodes on one
// host sharing the discovery port; then broadcast and direct messages over the mesh it builds.
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDatagram } from '../src/framing/datagram.js';
import { peerIdFromString, peerIdToString } from '../src/identity/peer-id.js';
import type { InboundMessage } from '../src/message/inbound-message.js';
import { Harness, addressOf, waitFor, type TestNode } from './helpers.js';

const N = 12;
const TARGET = 3;
const h = new Harness();
const lanPort = 20000 + Math.floor(Math.random() * 20000);
// Periodic announcements a minute apart: within a test, nodes learn each other from start-up announcements and
// the immediate replies to them only.
const lan = { enabled: true, interface: '127.0.0.1', mask: '255.0.0.0', port: lanPort, intervalMs: 60_000 };
let nodes: TestNode[] = [];
const inbox = new Map<TestNode, InboundMessage[]>();

beforeAll(async () => {
  for (let i = 0; i < N - 1; i++) nodes.push(await h.node({ name: `lan${i}`, lan, mesh: { targetDegree: TARGET } }));
});
afterAll(async () => { await h.cleanup(); });

function forge(peerId: string, port: number, to: number): Promise<void> {
  const bytes = encodeDatagram({
    announce: { peer: { peerId: peerIdFromString(peerId), name: 'forged', host: '127.0.0.1', port }, instanceId: new Uint8Array(16).fill(7) },
  });
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      s.setBroadcast(true);
      s.send(bytes, to, '127.255.255.255', () => { s.close(); resolve(); });
    });
  });
}

describe('LAN discovery on loopback', () => {
  it('lets a joining node see the whole LAN from the replies to its first announcement', async () => {
    const last = await h.node({ name: `lan${N - 1}`, lan, mesh: { targetDegree: TARGET } });
    nodes = [...nodes, last];
    // Nobody announces periodically within the test: only the immediate replies can tell the newcomer.
    await waitFor(() => last.peers().length === N - 1, 10_000, 'newcomer knows everyone');
    await waitFor(() => nodes.every((n) => n.peers().length === N - 1), 15_000, 'every node knows every other');
  });

  it('builds a mesh at the target degree, not a full mesh', async () => {
    await waitFor(() => nodes.every((n) => n.stats().connections >= TARGET), 20_000, 'target degree');
    expect(nodes.some((n) => n.stats().connections < N - 1)).toBe(true);
  });

  it('delivers a broadcast to every node exactly once and acknowledges direct messages', async () => {
    for (const n of nodes) {
      inbox.set(n, []);
      n.on('message', (m) => inbox.get(n)!.push(m));
    }
    const { messageId } = nodes[0]!.broadcast('to everyone');
    await waitFor(() => nodes.slice(1).every((n) => inbox.get(n)!.some((m) => m.id === messageId)), 10_000, 'broadcast');
    // A second broadcast follows the first over the same sessions: once it is everywhere, the first had its chance
    // to be delivered twice.
    const marker = nodes[0]!.broadcast('marker').messageId;
    await waitFor(() => nodes.slice(1).every((n) => inbox.get(n)!.some((m) => m.id === marker)), 10_000, 'marker broadcast');
    for (const n of nodes.slice(1)) expect(inbox.get(n)!.filter((m) => m.id === messageId)).toHaveLength(1);
    expect(inbox.get(nodes[0]!)!.filter((m) => m.id === messageId)).toHaveLength(0);

    // A node that is not a neighbour, so the message is routed through the mesh.
    const far = nodes.find((n) => n !== nodes[0] && !nodes[0]!.peers().some((p) => p.peerId === n.peerId && p.state === 'connected')) ?? nodes[N - 1]!;
    const result = await nodes[0]!.send(far.peerId, 'just for you', { timeoutMs: 5000 });
    expect(result.status).toBe('delivered');
    expect(inbox.get(far)!.some((m) => m.kind === 'direct' && m.text === 'just for you')).toBe(true);
  });

  it('does not let a forged announcement hijack a peer', async () => {
    const [a, b] = [nodes[0]!, nodes[1]!];
    const withB = nodes.filter((n) => n.peers().some((p) => p.peerId === b.peerId && p.state === 'connected'));
    // Someone announces B's peer ID at A's address.
    for (let i = 0; i < 3; i++) await forge(b.peerId, addressOf(a).port, lanPort);
    // Then an announcement of a peer nobody knows: once every node has heard it, they had heard the forgeries.
    const marker = peerIdToString(randomBytes(32));
    await forge(marker, 1, lanPort);
    await waitFor(() => withB.every((n) => n.peers().some((p) => p.peerId === marker)), 10_000, 'the marker announcement');
    for (const n of withB) {
      const p = n.peers().find((x) => x.peerId === b.peerId)!;
      expect(p.state).toBe('connected');
      expect(p.address.port).toBe(addressOf(b).port);
    }

    // A newcomer that only heard the forgery dials it: the TLS handshake proves A's key, so the dial is dropped.
    const otherPort = lanPort + 1;
    const z = await h.node({ name: 'z', lan: { ...lan, port: otherPort, intervalMs: 60_000 }, mesh: { targetDegree: 1 } });
    const warnings: string[] = [];
    z.on('warning', (w) => warnings.push(w.code));
    await forge(b.peerId, addressOf(a).port, otherPort);
    await waitFor(() => warnings.includes('ERR_IDENTITY_MISMATCH'), 5000, 'identity mismatch');
    expect(z.peers().filter((p) => p.state === 'connected')).toHaveLength(0);
    expect(a.peers().some((p) => p.peerId === z.peerId && p.state === 'connected')).toBe(false);
  });
});
