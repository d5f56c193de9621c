// Floods over real TLS sessions on loopback: a peer broadcasting 1,900 messages/s, a raw client flooding under
// made-up origin IDs, and chat texts over 64 KiB. The victims stay up, drop the excess where it is first seen,
// box the flooder for a while, and still carry honest messages.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { v1 } from '../src/codec/wire.js';
import { MessageTooLargeError } from '../src/errors.js';
import { MAX_CHAT_TEXT_BYTES } from '../src/broadcast/payload.js';
import { generateIdentity } from '../src/identity/node-identity.js';
import type { InboundMessage } from '../src/node/types.js';
import { Harness, addressOf, waitFor, type TestNode } from './helpers.js';
import { rawClient } from './raw-client.js';

let h: Harness;
afterEach(async () => { await h?.cleanup(); });

const connected = (n: TestNode, peerId: string): boolean => n.peers().some((p) => p.peerId === peerId && p.state === 'connected');
const hello = (id: Awaited<ReturnType<typeof generateIdentity>>) =>
  ({ hello: { protocolVersion: 1, peerId: id.peerIdBytes, name: 'raw', listenPort: 0, role: v1.Role.ROLE_PEER, instanceId: randomBytes(16) } });

/** A relay B with an honest author A, a reader C and `extra` more neighbours, all connected to B only. */
async function star(penaltyMs: number): Promise<{ a: TestNode; b: TestNode; c: TestNode; inbox: InboundMessage[] }> {
  const b = await h.node({ name: 'b', mesh: { targetDegree: 4 }, limits: { penaltyMs } });
  const a = await h.node({ name: 'a' });
  const c = await h.node({ name: 'c' });
  await a.connect(addressOf(b));
  await c.connect(addressOf(b));
  await waitFor(() => connected(b, a.peerId) && connected(b, c.peerId), 10_000, 'a and c connected to b');
  const inbox: InboundMessage[] = [];
  c.on('message', (m) => inbox.push(m));
  return { a, b, c, inbox };
}

describe('broadcast floods over real sessions', () => {
  it('cuts a 1,900/s flood down where first seen, still carries an honest broadcast, and boxes the flooder', async () => {
    h = new Harness();
    const PENALTY_MS = 4000;
    const { a, b, inbox } = await star(PENALTY_MS);
    // The flooder lifts its own limit: it behaves as a hostile or broken peer would.
    const f = await h.node({ name: 'flooder', limits: { broadcastsPerSecond: 1_000_000, broadcastBurst: 1_000_000 } });
    await f.connect(addressOf(b));
    await waitFor(() => connected(b, f.peerId), 10_000, 'flooder connected');
    let penalizedAt = 0;
    b.on('warning', (w) => { if (w.peerId === f.peerId && w.code === 'ERR_RATE_LIMITED') penalizedAt ||= Date.now(); });
    const connects: number[] = [];
    b.on('peer:connect', (p) => { if (p.peerId === f.peerId) connects.push(Date.now()); });

    // 19 every 10 ms = 1,900/s, for at most 5 s or until b ends the session.
    const started = Date.now();
    let sent = 0;
    let honestId = '';
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let i = 0; i < 19; i++) { f.broadcast(`flood ${sent++}`); }
        if (!honestId && sent >= 190) honestId = a.broadcast('honest line during the flood').messageId;
        if (Date.now() - started > 5000 || !connected(f, b.peerId)) { clearInterval(timer); resolve(); }
      }, 10);
    });
    const floodMs = Date.now() - started;
    await waitFor(() => inbox.some((m) => m.id === honestId), 10_000, 'the honest broadcast at the third node');
    await waitFor(() => penalizedAt > 0, 10_000, 'the flooder boxed');

    const fromFlooder = inbox.filter((m) => m.from === f.peerId).length;
    console.log(`flooder sent ${sent} in ${floodMs} ms; third node got ${fromFlooder}; b dropped ${b.stats().broadcastsRateLimited}`);
    expect(sent).toBeGreaterThan(600);
    // Burst plus rate over the flood's duration (plus a second of slack): everything else was dropped at b.
    expect(fromFlooder).toBeLessThanOrEqual(300 + 50 * Math.ceil(floodMs / 1000 + 1));
    expect(b.stats().broadcastsRateLimited).toBeGreaterThanOrEqual(sent - fromFlooder - 300 - 50 * Math.ceil(floodMs / 1000 + 1));
    expect(b.stats().peersPenalized).toBe(1);
    await waitFor(() => !connected(b, f.peerId) && !connected(f, b.peerId), 5000, 'the flooder disconnected');

    // Both sides want the link back (b is below its target degree, f has no other peer), yet it comes back only
    // once the penalty is over: b's mesh does not dial f, and f's dials are refused at accept.
    await waitFor(() => connects.length > 0, 30_000, 'the link back after the penalty');
    expect(connects).toHaveLength(1);
    expect(connects[0]! - penalizedAt).toBeGreaterThanOrEqual(PENALTY_MS);
    expect(await a.ping(b.peerId)).toBeGreaterThan(0);
  }, 60_000);

  it('bounds a flood under made-up origins by the neighbour\'s limit and refuses the flooder\'s reconnection', async () => {
    h = new Harness();
    const { a, b, inbox } = await star(60_000);
    const id = await generateIdentity();
    const x = await rawClient(addressOf(b), id);
    x.send(hello(id));
    await waitFor(() => connected(b, id.peerId), 10_000, 'raw flooder connected');
    const started = Date.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let i = 0; i < 19 && !x.isClosed(); i++, sent++) {
          x.send({ broadcast: { messageId: randomBytes(16), origin: randomBytes(32), hopCount: 0, maxHops: 8, chat: { text: `junk ${sent}` } } });
        }
        if (Date.now() - started > 8000 || x.isClosed()) { clearInterval(timer); resolve(); }
      }, 10);
    });
    await x.closed;
    const floodMs = Date.now() - started;
    const junk = inbox.filter((m) => m.text?.startsWith('junk')).length;
    console.log(`raw flooder sent ${sent} under random origins in ${floodMs} ms; third node got ${junk}`);
    expect(x.frames.find((f) => f.body === 'goodbye')?.goodbye?.detail).toMatch(/rate limit/);
    // Neighbour limit: four origins' worth (burst 1,200, 200/s).
    expect(junk).toBeLessThanOrEqual(1200 + 200 * Math.ceil(floodMs / 1000 + 1));
    expect(junk).toBeLessThan(sent);
    // The same key again: dropped at accept, before any Hello.
    const again = await rawClient(addressOf(b), id);
    await again.closed;
    expect(again.frames).toHaveLength(0);
    const { messageId } = a.broadcast('still here');
    await waitFor(() => inbox.some((m) => m.id === messageId), 10_000, 'honest broadcast after the flood');
  }, 60_000);
});

describe('chat texts over 64 KiB', () => {
  it('are refused on send with a typed error and refused on receipt', async () => {
    h = new Harness();
    const b = await h.node({ name: 'b' });
    const a = await h.node({ name: 'a' });
    await a.connect(addressOf(b));
    await waitFor(() => connected(a, b.peerId));
    const big = 'x'.repeat(MAX_CHAT_TEXT_BYTES + 1);
    await expect(a.send(b.peerId, big)).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(a.send(b.peerId, big)).rejects.toThrow(/refused: too large/);
    expect(() => a.broadcast(big)).toThrow(MessageTooLargeError);

    const got: InboundMessage[] = [];
    b.on('message', (m) => got.push(m));
    const id = await generateIdentity();
    const x = await rawClient(addressOf(b), id);
    x.send(hello(id));
    await waitFor(() => connected(b, id.peerId));
    const messageId = randomBytes(16);
    x.send({ direct: { messageId, from: id.peerIdBytes, to: (await import('../src/identity/peer-id.js')).peerIdFromString(b.peerId), hopCount: 0, maxHops: 8, chat: { text: 'y'.repeat(1024 * 1024 - 1024) } } });
    await waitFor(() => x.frames.some((f) => f.body === 'directAck'), 10_000, 'an answer to the oversized direct');
    expect(x.frames.find((f) => f.body === 'directAck')!.directAck!.status).toBe(v1.DirectStatus.DIRECT_STATUS_UNREACHABLE);
    expect(b.stats().messagesTooLarge).toBe(1);
    expect(got).toHaveLength(0);
    expect((await a.send(b.peerId, 'z'.repeat(MAX_CHAT_TEXT_BYTES))).status).toBe('delivered');
  });
});
