// A hostile seed client over real TLS on loopback: a thousand fake peers (each its own key, so each Register is
// "authenticated") registered from one source address with a made-up host. The seed keeps a bounded few of them,
// hands out none (none can be dialled back), and newcomers still find each other through it.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { v1 } from '../src/codec/wire.js';
import { generateIdentity, type NodeIdentity } from '../src/identity/node-identity.js';
import { peerIdToString } from '../src/identity/peer-id.js';
import { Harness, addressOf, waitFor } from './helpers.js';
import { rawClient } from './raw-client.js';

const FAKE_PEERS = 1000;
const h = new Harness();
const servers: net.Server[] = [];
afterAll(async () => {
  await h.cleanup();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const hello = (id: NodeIdentity, listenPort: number) =>
  ({ hello: { protocolVersion: 1, peerId: id.peerIdBytes, name: 'fake', listenPort, role: v1.Role.ROLE_PEER, instanceId: id.peerIdBytes.slice(0, 16) } });

describe('a seed under a hostile client', () => {
  it('keeps a bounded few registrations per source, hands out only peers it dialled back, and newcomers still meet', async () => {
    const seed = await h.node({ role: 'seed', name: 'seed', seedTtlMs: 120_000 });
    // Where the fake peers claim to listen, on the attacker's own host: connections are counted and dropped.
    let dialBacks = 0;
    const trap = net.createServer((s) => { dialBacks++; s.destroy(); });
    servers.push(trap);
    await new Promise<void>((r) => trap.listen(0, '127.0.0.66', () => r()));
    const port = (trap.address() as net.AddressInfo).port;

    const ids: NodeIdentity[] = [];
    while (ids.length < FAKE_PEERS) ids.push(...(await Promise.all(Array.from({ length: 50 }, () => generateIdentity()))));
    let acked = 0;
    const register = async (id: NodeIdentity): Promise<void> => {
      const c = await rawClient(addressOf(seed), id, '127.0.0.66');
      c.send(hello(id, port));
      // The Register names a third party's host; the seed takes the session's source instead.
      c.send({ register: { peer: { peerId: id.peerIdBytes, name: 'fake', host: '127.0.0.99', port, load: 0 } } });
      await waitFor(() => c.frames.some((f) => f.body === 'registerAck') || c.isClosed(), 10_000, 'register ack');
      if (c.frames.some((f) => f.body === 'registerAck')) acked++;
      c.socket.destroy();
    };
    const started = Date.now();
    const queue = [...ids];
    await Promise.all(Array.from({ length: 8 }, async () => { for (let id = queue.shift(); id; id = queue.shift()) await register(id); }));
    console.log(`${acked} fake registrations acknowledged; dial-backs to the attacker's host so far: ${dialBacks}`);
    expect(acked).toBeGreaterThan(FAKE_PEERS * 0.9);

    const n1 = await h.node({ name: 'n1', seeds: [addressOf(seed)], mesh: { targetDegree: 2 } });
    const n2 = await h.node({ name: 'n2', seeds: [addressOf(seed)], mesh: { targetDegree: 2 } });
    const linked = (a: typeof n1, b: typeof n1) => a.peers().some((p) => p.peerId === b.peerId && p.state === 'connected');
    await waitFor(() => linked(n1, n2) && linked(n2, n1), 30_000, 'the newcomers connected to each other');

    // What the seed hands out now: the two newcomers, proven by a dial back, and no fake peer.
    const asker = await generateIdentity();
    const c = await rawClient(addressOf(seed), asker);
    c.send(hello(asker, 0));
    c.send({ peerListRequest: { limit: 200 } });
    await waitFor(() => c.frames.some((f) => f.body === 'peerList'), 10_000, 'peer list');
    const listed = c.frames.find((f) => f.body === 'peerList')!.peerList!.peers!.map((p) => peerIdToString(p.peerId!));
    c.socket.destroy();
    expect(listed.sort()).toEqual([n1.peerId, n2.peerId].sort());
    const fakes = new Set(ids.map((i) => i.peerId));
    for (const n of [n1, n2]) expect(n.peers().filter((p) => fakes.has(p.peerId))).toEqual([]);
    // Connections to the attacker's host: at most one dial-back per Register (never to the claimed host), plus the
    // seed's own mesh dials to those unproven addresses within the node-wide cap (burst 4, 2/s, +1 s of slack).
    const elapsedS = (Date.now() - started) / 1000;
    expect(dialBacks).toBeLessThanOrEqual(FAKE_PEERS + 4 + 2 * Math.ceil(elapsedS + 1));
    console.log(`dial-backs to the attacker's host: ${dialBacks}`);
  }, 180_000);
});
