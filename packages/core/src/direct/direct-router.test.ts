import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../codec/envelope-codec.js';
import type { Envelope } from '../codec/wire.js';
import { InboxFullError, InvalidPayloadError, InvalidPeerIdError, MessageTooLargeError } from '../errors.js';
import { MAX_CHAT_TEXT_BYTES } from '../message/payload.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { InboundMessage } from '../message/inbound-message.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { createDirectRouter } from './direct-router.js';
import type { DirectRouter, DirectRouterInit } from './types.js';

/** A tiny network of routers: envelopes go through the real codec and are handed over when the test pumps. */
function network(names: string[], edges: [string, string][], options: DirectRouterInit['options'] = {}) {
  const ids = new Map(names.map((n) => [n, peerIdToString(randomBytes(32))]));
  const nameOf = new Map([...ids].map(([n, id]) => [id, n]));
  const adj = new Map(names.map((n) => [ids.get(n)!, new Set<PeerIdString>()]));
  for (const [a, b] of edges) {
    adj.get(ids.get(a)!)!.add(ids.get(b)!);
    adj.get(ids.get(b)!)!.add(ids.get(a)!);
  }
  const dead = new Set<PeerIdString>();
  const queue: { from: PeerIdString; to: PeerIdString; bytes: Uint8Array }[] = [];
  const log: { from: string; to: string; type: string }[] = [];
  const inbox = new Map<string, InboundMessage[]>(names.map((n) => [n, []]));
  const routers = new Map<string, DirectRouter>();
  for (const n of names) {
    const self = ids.get(n)!;
    routers.set(n, createDirectRouter({
      self,
      selfName: n,
      options,
      neighbours: () => [...adj.get(self)!],
      send: (to: PeerIdString, env: Envelope) => {
        if (!adj.get(self)!.has(to)) return false;
        log.push({ from: n, to: nameOf.get(to)!, type: Object.keys(env)[0]! });
        queue.push({ from: self, to, bytes: encodeEnvelope(env) });
        return true;
      },
      deliver: (m) => { inbox.get(n)!.push(m); },
    }));
  }
  const pump = () => {
    for (let steps = 0; queue.length > 0 && steps < 100_000; steps++) {
      const { from, to, bytes } = queue.shift()!;
      if (!dead.has(to)) routers.get(nameOf.get(to)!)!.handle(from, decodeEnvelope(bytes));
    }
  };
  return {
    id: (n: string) => ids.get(n)!,
    router: (n: string) => routers.get(n)!,
    inbox: (n: string) => inbox.get(n)!,
    log,
    pump,
    kill: (n: string) => dead.add(ids.get(n)!),
    cut(a: string, b: string) {
      adj.get(ids.get(a)!)!.delete(ids.get(b)!);
      adj.get(ids.get(b)!)!.delete(ids.get(a)!);
    },
    /** Sends from `a` to `b` and runs the network until quiet. */
    async send(a: string, b: string, text = `to ${b}`, opts?: { timeoutMs?: number }) {
      const result = routers.get(a)!.send(ids.get(b)!, { text }, opts);
      pump();
      return result;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('direct router', () => {
  it('refuses a text over 64 KiB on send (typed error, nothing sent) and on receipt (not stored, not relayed)', async () => {
    const net = network(['a', 'b', 'c'], [['a', 'b'], ['b', 'c']]);
    const big = 'x'.repeat(MAX_CHAT_TEXT_BYTES + 1);
    await expect(net.router('a').send(net.id('c'), { text: big })).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(net.router('a').send(net.id('c'), { text: big })).rejects.toThrow(/refused: too large/);
    expect(net.log).toEqual([]);
    // A peer that skips the check: b, the relay, refuses it at once, so c never sees it.
    net.router('b').handle(net.id('a'), decodeEnvelope(encodeEnvelope({
      direct: { messageId: randomBytes(16), from: randomBytes(32), to: randomBytes(32), hopCount: 0, maxHops: 8, chat: { text: big } },
    })));
    net.pump();
    expect(net.inbox('c')).toHaveLength(0);
    expect(net.router('b').stats().tooLarge).toBe(1);
    expect(net.log.map((e) => `${e.from}>${e.to}:${e.type}`)).toEqual(['b>a:directAck']);
    expect((await net.send('a', 'b', 'x'.repeat(MAX_CHAT_TEXT_BYTES))).status).toBe('delivered');
  });

  it('sends straight to a neighbour and is acknowledged', async () => {
    const net = network(['a', 'b'], [['a', 'b']]);
    const result = await net.send('a', 'b', 'hello b');
    expect(result.status).toBe('delivered');
    expect(result.peerId).toBe(net.id('b'));
    expect(net.inbox('b')).toHaveLength(1);
    expect(net.inbox('b')[0]).toMatchObject({ kind: 'direct', from: net.id('a'), fromName: 'a', text: 'hello b', hops: 1 });
    expect(net.log.map((e) => `${e.from}>${e.to}:${e.type}`)).toEqual(['a>b:direct', 'b>a:directAck']);
    expect(net.router('a').stats()).toMatchObject({ acked: 1, pending: 0 });
    expect(net.router('b').stats()).toMatchObject({ delivered: 1 });
  });

  it('floods through the mesh when no route is known, then follows the learned reverse path', async () => {
    const net = network(['a', 'b', 'c', 'd', 'x'], [['a', 'b'], ['b', 'c'], ['c', 'd'], ['b', 'x']]);
    expect((await net.send('a', 'd')).status).toBe('delivered');
    expect(net.inbox('d')).toHaveLength(1);
    expect(net.inbox('d')[0]!.hops).toBe(3);
    expect(net.log.some((e) => e.to === 'x')).toBe(true); // the first one was flooded

    net.log.length = 0;
    expect((await net.send('a', 'd', 'again')).status).toBe('delivered');
    // Now unicast along a-b-c-d and back: no copy to x.
    expect(net.log.map((e) => `${e.from}>${e.to}:${e.type}`)).toEqual([
      'a>b:direct', 'b>c:direct', 'c>d:direct', 'd>c:directAck', 'c>b:directAck', 'b>a:directAck',
    ]);
    // And d can answer a along the path it learned.
    net.log.length = 0;
    expect((await net.send('d', 'a')).status).toBe('delivered');
    expect(net.log.filter((e) => e.type === 'direct')).toHaveLength(3);
  });

  it('delivers exactly once when the flood reaches the recipient twice', async () => {
    const net = network(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']]);
    const result = await net.send('a', 'd');
    expect(result.status).toBe('delivered');
    expect(net.inbox('d')).toHaveLength(1);
    expect(net.router('d').stats().duplicates).toBe(1);
    expect(net.router('a').stats()).toMatchObject({ acked: 1, pending: 0 });
  });

  it('reports unreachable as soon as every branch of the flood has come back empty', async () => {
    vi.useFakeTimers();
    const net = network(['a', 'b', 'c', 'd'], [['a', 'b'], ['b', 'c'], ['b', 'd'], ['c', 'd']]);
    const nobody = peerIdToString(randomBytes(32));
    const promise = net.router('a').send(nobody, { text: 'anyone?' });
    net.pump();
    const result = await promise;
    expect(result.status).toBe('unreachable');
    expect(result.elapsedMs).toBeLessThan(5000);
  });

  it('reports too-many-hops when the hop limit runs out on the way', async () => {
    const net = network(['a', 'b', 'c', 'd', 'e'], [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e']], { maxHops: 2 });
    expect((await net.send('a', 'e')).status).toBe('too-many-hops');
    expect(net.inbox('e')).toHaveLength(0);
    expect((await net.send('a', 'c')).status).toBe('delivered');
  });

  it('times out when the answer never comes', async () => {
    vi.useFakeTimers();
    const net = network(['a', 'b'], [['a', 'b']]);
    net.kill('b');
    const promise = net.send('a', 'b', 'hello?', { timeoutMs: 300 });
    await vi.advanceTimersByTimeAsync(300);
    const result = await promise;
    expect(result.status).toBe('timeout');
    expect(result.elapsedMs).toBe(300);
    expect(net.router('a').stats().pending).toBe(0);
  });

  it('fails a send whose only next hop goes down', async () => {
    vi.useFakeTimers();
    const net = network(['a', 'b', 'c'], [['a', 'b'], ['b', 'c']]);
    net.kill('b');
    const promise = net.send('a', 'c');
    net.router('a').neighbourDown(net.id('b'));
    expect((await promise).status).toBe('unreachable');
  });

  it('falls back to flooding when a route turns out to lead nowhere', async () => {
    const net = network(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'c'], ['c', 'd']]);
    net.router('a').learnRoute!(net.id('d'), net.id('b')); // a wrong hint
    const result = await net.send('a', 'd');
    expect(result.status).toBe('delivered');
    expect(net.log.filter((e) => e.type === 'direct').map((e) => `${e.from}>${e.to}`)).toEqual(['a>b', 'a>c', 'c>d']);
    expect(net.inbox('d')).toHaveLength(1);
  });

  it('learns hints from broadcasts but lets a confirmed route win', async () => {
    const net = network(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'c'], ['c', 'd'], ['b', 'd']]);
    await net.send('d', 'a'); // a learns d through the first path that reached it
    const learned = net.log.find((e) => e.to === 'a' && e.type === 'direct')!.from;
    const other = learned === 'b' ? 'c' : 'b';
    net.router('a').learnRoute!(net.id('d'), net.id(other));
    net.log.length = 0;
    await net.send('a', 'd');
    expect(net.log[0]).toMatchObject({ from: 'a', to: learned, type: 'direct' });
  });

  it('forgets routes through a neighbour that went down', async () => {
    const net = network(['a', 'b', 'c', 'd'], [['a', 'b'], ['b', 'd'], ['a', 'c'], ['c', 'd']]);
    net.router('a').learnRoute!(net.id('d'), net.id('b'));
    net.router('a').neighbourDown(net.id('b'));
    net.cut('a', 'b');
    const result = await net.send('a', 'd');
    expect(result.status).toBe('delivered');
    expect(net.log[0]).toMatchObject({ from: 'a', to: 'c' });
  });

  it('refuses more pending sends than allowed', async () => {
    vi.useFakeTimers();
    const net = network(['a', 'b'], [['a', 'b']], { maxPending: 1 });
    net.kill('b');
    const first = net.router('a').send(net.id('b'), { text: '1' }, { timeoutMs: 100 });
    const second = await net.router('a').send(net.id('b'), { text: '2' });
    expect(second.status).toBe('unreachable');
    await vi.advanceTimersByTimeAsync(100);
    expect((await first).status).toBe('timeout');
  });

  it('fails every pending send when stopped', async () => {
    vi.useFakeTimers();
    const net = network(['a', 'b'], [['a', 'b']]);
    net.kill('b');
    const promise = net.send('a', 'b');
    net.router('a').stop();
    expect((await promise).status).toBe('unreachable');
  });

  it('refuses bad input with typed errors and drops malformed envelopes', async () => {
    const net = network(['a', 'b'], [['a', 'b']]);
    await expect(net.router('a').send('not-a-peer', { text: 'x' })).rejects.toBeInstanceOf(InvalidPeerIdError);
    await expect(net.router('a').send(net.id('b'), {})).rejects.toBeInstanceOf(InvalidPayloadError);
    const r = net.router('b');
    expect(r.handle(net.id('a'), decodeEnvelope(encodeEnvelope({ direct: { messageId: randomBytes(3), from: randomBytes(32), to: randomBytes(32), chat: { text: 'x' } } })))).toBe(true);
    expect(r.handle(net.id('a'), decodeEnvelope(encodeEnvelope({ directAck: { messageId: randomBytes(16), to: randomBytes(31), from: randomBytes(32) } })))).toBe(true);
    expect(r.stats().invalid).toBe(2);
    expect(net.inbox('b')).toHaveLength(0);
    expect(r.handle(net.id('a'), decodeEnvelope(encodeEnvelope({ broadcast: { messageId: randomBytes(16) } })))).toBe(false);
  });

  it('delivers a note to itself without the network', async () => {
    const net = network(['a'], []);
    const result = await net.router('a').send(net.id('a'), { data: new Uint8Array([7]) });
    expect(result.status).toBe('delivered');
    expect(net.inbox('a')[0]).toMatchObject({ kind: 'direct', from: net.id('a'), hops: 0 });
    expect(net.log).toHaveLength(0);
  });

  it('answers unreachable at once when it has no neighbour at all', async () => {
    const net = network(['a'], []);
    expect((await net.router('a').send(peerIdToString(randomBytes(32)), { text: 'x' })).status).toBe('unreachable');
  });
});

describe('direct router with an asynchronous deliver (storage)', () => {
  function pair(deliver: (m: InboundMessage) => Promise<void>) {
    const a = peerIdToString(randomBytes(32));
    const b = peerIdToString(randomBytes(32));
    const sent: string[] = [];
    const routers = new Map<PeerIdString, DirectRouter>();
    const link = (self: PeerIdString, other: PeerIdString, onDeliver: DirectRouterInit['deliver']) =>
      createDirectRouter({
        self, selfName: self === a ? 'a' : 'b', neighbours: () => [other], deliver: onDeliver,
        send: (to, env) => {
          sent.push(Object.keys(env)[0]!);
          const bytes = encodeEnvelope(env);
          queueMicrotask(() => routers.get(to)!.handle(self, decodeEnvelope(bytes)));
          return true;
        },
      });
    routers.set(a, link(a, b, () => {}));
    routers.set(b, link(b, a, deliver));
    return { a: routers.get(a)!, b, sent };
  }

  it('acknowledges only once the message is stored', async () => {
    let store!: () => void;
    const stored = new Promise<void>((resolve) => (store = resolve));
    let handedOver = false;
    const { a, b, sent } = pair(() => { handedOver = true; return stored; });
    const result = a.send(b, { text: 'keep me' }, { timeoutMs: 5000 });
    // The recipient has the message and is storing it: until the store settles, nothing may answer.
    await vi.waitFor(() => expect(handedOver).toBe(true));
    expect(sent).toEqual(['direct']);
    store();
    await expect(result).resolves.toMatchObject({ status: 'delivered' });
    expect(sent).toEqual(['direct', 'directAck']);
  });

  it('answers not-stored when storing fails, inbox-full when the store refuses for lack of room', async () => {
    const failing = pair(() => Promise.reject(new Error('disk full')));
    await expect(failing.a.send(failing.b, { text: 'lost' }, { timeoutMs: 5000 })).resolves.toMatchObject({ status: 'not-stored' });
    const full = pair(() => Promise.reject(new InboxFullError('quota')));
    await expect(full.a.send(full.b, { text: 'no room' }, { timeoutMs: 5000 })).resolves.toMatchObject({ status: 'inbox-full' });
    expect(full.sent).toEqual(['direct', 'directAck']);
  });
});

describe('direct router: a refusal to store travels back through the mesh', () => {
  it('carries inbox-full back over a relay, and answers a later copy with the same refusal', async () => {
    const names = ['a', 'r', 'b'];
    const ids = new Map(names.map((n) => [n, peerIdToString(randomBytes(32))]));
    const nameOf = new Map([...ids].map(([n, id]) => [id, n]));
    const edges: Record<string, string[]> = { a: ['r'], r: ['a', 'b'], b: ['r'] };
    const queue: { from: PeerIdString; to: PeerIdString; bytes: Uint8Array }[] = [];
    const acks: { to: string; status: unknown }[] = [];
    const routers = new Map<string, DirectRouter>();
    for (const n of names) {
      const self = ids.get(n)!;
      routers.set(n, createDirectRouter({
        self, selfName: n, neighbours: () => edges[n]!.map((m) => ids.get(m)!),
        send: (to, env) => {
          if (env.directAck) acks.push({ to: nameOf.get(to)!, status: env.directAck.status });
          queue.push({ from: self, to, bytes: encodeEnvelope(env) });
          return true;
        },
        deliver: n === 'b' ? () => Promise.reject(new InboxFullError('sender share')) : () => {},
      }));
    }
    const settle = async () => {
      for (let round = 0; round < 10; round++) {
        while (queue.length > 0) {
          const { from, to, bytes } = queue.shift()!;
          routers.get(nameOf.get(to)!)!.handle(from, decodeEnvelope(bytes));
        }
        await new Promise((r) => setImmediate(r));
      }
    };
    const result = routers.get('a')!.send(ids.get('b')!, { text: 'flood' }, { timeoutMs: 5000 });
    await settle();
    await expect(result).resolves.toMatchObject({ status: 'inbox-full' });
    expect(acks).toEqual([{ to: 'r', status: 20 }, { to: 'a', status: 20 }]);
    // A second copy of the same Direct (a flood's other branch) gets the same answer, never "delivered".
    const direct = { messageId: randomBytes(16), from: randomBytes(32), to: peerIdFromString(ids.get('b')!), hopCount: 0, maxHops: 8, data: new Uint8Array([1]) };
    routers.get('b')!.handle(ids.get('r')!, decodeEnvelope(encodeEnvelope({ direct })));
    await settle();
    routers.get('b')!.handle(ids.get('r')!, decodeEnvelope(encodeEnvelope({ direct })));
    expect(acks.slice(-2).map((x) => x.status)).toEqual([20, 20]);
  });
});
