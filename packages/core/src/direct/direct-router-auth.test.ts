import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../codec/envelope-codec.js';
import type { Envelope, p2p } from '../codec/wire.js';
import { peerIdToString } from '../identity/peer-id.js';
import type { InboundMessage, PeerIdString } from '../node/types.js';
import { createDirectRouter } from './direct-router.js';
import type { DirectAuthenticator, DirectRouter } from './types.js';

// A fake authenticator, deterministic and crypto-free: the "signature" is the writer's peer ID, "sealing" XORs the
// text with 0x5a. It lets the router's rules be tested alone: check before acting, relay only sealed, trust
// DELIVERED only from the recipient.
const xor = (b: Uint8Array) => b.map((x) => x ^ 0x5a);
function fakeAuth(self: Uint8Array, forged: Set<string>): DirectAuthenticator {
  const sig = () => ({ authorKey: new Uint8Array([1]), signature: self });
  const ok = (author: Uint8Array | null | undefined, m: { signature?: Uint8Array | null }) =>
    !!author && !!m.signature && Buffer.from(author).equals(Buffer.from(m.signature)) && !forged.has(Buffer.from(m.signature).toString('hex'));
  return {
    needsKey: () => false,
    seal: (d, straight) => straight ? { ...d, ...sig() }
      : { messageId: d.messageId, from: d.from, to: d.to, maxHops: d.maxHops, hopCount: d.hopCount, sealedEnc: new Uint8Array([9]), sealedPayload: xor(Buffer.from(d.chat!.text!)), ...sig() },
    verify: (_from, d) => ok(d.from, d),
    open: async (d) => ({ chat: { text: Buffer.from(xor(d.sealedPayload!)).toString(), fromName: 'x' } }),
    signAck: () => sig(),
    verifyAck: (_from, a) => ok(a.from, a),
  };
}

function network(names: string[], edges: [string, string][], hostile?: string) {
  const bytes = new Map(names.map((n) => [n, new Uint8Array(randomBytes(32))]));
  const ids = new Map(names.map((n) => [n, peerIdToString(bytes.get(n)!)]));
  const nameOf = new Map([...ids].map(([n, id]) => [id, n]));
  const adj = new Map(names.map((n) => [ids.get(n)!, new Set<PeerIdString>()]));
  for (const [a, b] of edges) {
    adj.get(ids.get(a)!)!.add(ids.get(b)!);
    adj.get(ids.get(b)!)!.add(ids.get(a)!);
  }
  const queue: { from: PeerIdString; to: PeerIdString; bytes: Uint8Array }[] = [];
  const seenBy = new Map<string, Envelope[]>(names.map((n) => [n, []]));
  const inbox = new Map<string, InboundMessage[]>(names.map((n) => [n, []]));
  const routers = new Map<string, DirectRouter>();
  for (const n of names) {
    const self = ids.get(n)!;
    routers.set(n, createDirectRouter({
      self, selfName: n, auth: fakeAuth(bytes.get(n)!, new Set()),
      neighbours: () => [...adj.get(self)!],
      send: (to, env) => {
        if (!adj.get(self)!.has(to)) return false;
        queue.push({ from: self, to, bytes: encodeEnvelope(env) });
        return true;
      },
      deliver: (m) => { inbox.get(n)!.push(m); },
    }));
  }
  const pump = async () => {
    for (let steps = 0; steps < 10_000; steps++) {
      await new Promise((r) => setImmediate(r));
      if (queue.length === 0) return;
      while (queue.length > 0) {
        const { from, to, bytes: b } = queue.shift()!;
        const env = decodeEnvelope(b);
        seenBy.get(nameOf.get(to)!)!.push(env);
        if (nameOf.get(to) === hostile) continue;
        routers.get(nameOf.get(to)!)!.handle(from, env);
      }
    }
  };
  return { id: (n: string) => ids.get(n)!, bytes: (n: string) => bytes.get(n)!, router: (n: string) => routers.get(n)!, inbox: (n: string) => inbox.get(n)!, seenBy: (n: string) => seenBy.get(n)!, pump, inject: (from: string, to: string, env: Envelope) => routers.get(to)!.handle(ids.get(from)!, decodeEnvelope(encodeEnvelope(env))) };
}

describe('direct router with an authenticator', () => {
  it('seals what goes through a relay: the relay handles only the sealed form, the recipient opens it', async () => {
    const net = network(['a', 'r', 'b'], [['a', 'r'], ['r', 'b']]);
    const result = net.router('a').send(net.id('b'), { text: 'secret plan' }, { timeoutMs: 60_000 });
    await net.pump();
    expect((await result).status).toBe('delivered');
    expect(net.inbox('b').map((m) => m.text)).toEqual(['secret plan']);
    const atRelay = net.seenBy('r').filter((e) => e.direct);
    expect(atRelay.length).toBeGreaterThan(0);
    for (const e of atRelay) {
      expect(e.direct!.chat).toBeFalsy();
      expect(Buffer.from(encodeEnvelope(e)).includes(Buffer.from('secret plan'))).toBe(false);
    }
  });

  it('goes in the clear straight to a neighbour, and never relays a Direct in the clear', async () => {
    const net = network(['a', 'r', 'b'], [['a', 'r'], ['r', 'b']]);
    const ok = net.router('a').send(net.id('r'), { text: 'hi r' }, { timeoutMs: 60_000 });
    await net.pump();
    expect((await ok).status).toBe('delivered');
    const plain: p2p.v1.IDirect = { messageId: randomBytes(16), from: net.bytes('a'), to: net.bytes('b'), maxHops: 8, chat: { text: 'leak' }, authorKey: new Uint8Array([1]), signature: net.bytes('a') };
    net.inject('a', 'r', { direct: plain });
    await net.pump();
    expect(net.inbox('b')).toHaveLength(0);
    expect(net.router('r').stats().forwarded).toBe(0);
  });

  it('drops a Direct whose signature fails, without marking its ID seen', async () => {
    const net = network(['a', 'b'], [['a', 'b']]);
    const id = randomBytes(16);
    // Written by "a" but signed by b's key: refused.
    net.inject('a', 'b', { direct: { messageId: id, from: net.bytes('a'), to: net.bytes('b'), maxHops: 8, chat: { text: 'forged' }, authorKey: new Uint8Array([1]), signature: net.bytes('b') } });
    expect(net.inbox('b')).toHaveLength(0);
    expect(net.router('b').stats().rejected).toBe(1);
    net.inject('a', 'b', { direct: { messageId: id, from: net.bytes('a'), to: net.bytes('b'), maxHops: 8, chat: { text: 'genuine' }, authorKey: new Uint8Array([1]), signature: net.bytes('a') } });
    expect(net.inbox('b').map((m) => m.text)).toEqual(['genuine']);
  });

  it('counts DELIVERED only from the recipient: a relay claiming it is ignored', async () => {
    const net = network(['a', 'r', 'b'], [['a', 'r']], 'r');
    const result = net.router('a').send(net.id('b'), { text: 'x' }, { timeoutMs: 50 });
    await net.pump();
    const sent = net.seenBy('r').find((e) => e.direct)!.direct!;
    // r answers DELIVERED in its own (valid) name, and in b's name with its own signature.
    net.inject('r', 'a', { directAck: { messageId: sent.messageId, to: net.bytes('a'), from: net.bytes('r'), status: 1, authorKey: new Uint8Array([1]), signature: net.bytes('r') } });
    net.inject('r', 'a', { directAck: { messageId: sent.messageId, to: net.bytes('a'), from: net.bytes('b'), status: 1, authorKey: new Uint8Array([1]), signature: net.bytes('r') } });
    expect(net.router('a').stats().rejected).toBe(2);
    expect(net.router('a').stats().pending).toBe(1);
    expect((await result).status).not.toBe('delivered');
  });

  it('takes a failure only from the neighbour that wrote it (failures go one hop, unsigned)', async () => {
    const net = network(['a', 'r', 'b'], [['a', 'r']], 'r');
    const result = net.router('a').send(net.id('b'), { text: 'x' }, { timeoutMs: 50 });
    await net.pump();
    const sent = net.seenBy('r').find((e) => e.direct)!.direct!;
    // r passes on an UNREACHABLE "written by b": refused, the branch stays open.
    net.inject('r', 'a', { directAck: { messageId: sent.messageId, to: net.bytes('a'), from: net.bytes('b'), status: 2 } });
    expect(net.router('a').stats()).toMatchObject({ rejected: 1, pending: 1 });
    // In its own name it closes the branch.
    net.inject('r', 'a', { directAck: { messageId: sent.messageId, to: net.bytes('a'), from: net.bytes('r'), status: 2 } });
    expect((await result).status).toBe('unreachable');
  });
});
