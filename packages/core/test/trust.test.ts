// Signed authorship, sealed relayed directs and the insecure-mode guard, over real sockets on loopback. The hostile
// peer is built by hand: a TLS client with its own valid key that writes envelopes no honest node would.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { v1, type Envelope, type p2p } from '../src/codec/wire.js';
import { encodeFrame } from '../src/framing/frame-encoder.js';
import { FrameDecoder } from '../src/framing/frame-decoder.js';
import { createMessageSigner } from '../src/identity/message-signer.js';
import { generateIdentity, type NodeIdentity } from '../src/identity/node-identity.js';
import { peerIdFromString } from '../src/identity/peer-id.js';
import type { InboundMessage } from '../src/node/types.js';
import { broadcastSignedBytes, directAckSignedBytes, directSignedBytes } from '../src/trust/signed-bytes.js';
import { Harness, addressOf, waitFor, type TestNode } from './helpers.js';
import { rawClient } from './raw-client.js';

let h: Harness;
afterEach(async () => { await h.cleanup(); });
const GB = v1.GoodbyeReason;

function hello(id: NodeIdentity, name = 'mallory', peerId = id.peerIdBytes, instanceId = new Uint8Array(16).fill(9)): Envelope {
  return { hello: { protocolVersion: 1, peerId, name, listenPort: 0, role: v1.Role.ROLE_PEER, instanceId } };
}

function inbox(node: TestNode): InboundMessage[] {
  const got: InboundMessage[] = [];
  node.on('message', (m) => got.push(m));
  return got;
}

/** Signs `b` as `signer` would, whatever origin it claims. */
function signedBroadcast(id: NodeIdentity, b: p2p.v1.IBroadcast): Envelope {
  const s = createMessageSigner(id);
  return { broadcast: { ...b, authorKey: s.publicKey, signature: s.sign(broadcastSignedBytes(b)) } };
}

describe('signed authorship over real sessions', () => {
  it('drops broadcasts and directs that a peer with its own valid key forges in another node\'s name, then closes its session', async () => {
    h = new Harness();
    const alice = await h.node({ name: 'alice' });
    const bob = await h.node({ name: 'bob' });
    const got = inbox(alice);
    const mallory = await generateIdentity();
    const c = await rawClient(addressOf(alice), mallory);
    c.send(hello(mallory));
    await waitFor(() => alice.peers().some((p) => p.peerId === mallory.peerId && p.state === 'connected'));
    const bobId = peerIdFromString(bob.peerId);
    const chat = (text: string) => ({ text, fromName: 'bob', sentAtMs: Date.now() });
    // 1. A broadcast "from bob", signed with mallory's own key.
    c.send(signedBroadcast(mallory, { messageId: randomBytes(16), origin: bobId, maxHops: 8, chat: chat('forged broadcast') }));
    // 2. A direct "from bob", signed with mallory's key.
    const d: p2p.v1.IDirect = { messageId: randomBytes(16), from: bobId, to: peerIdFromString(alice.peerId), maxHops: 8, chat: chat('forged direct') };
    const ms = createMessageSigner(mallory);
    c.send({ direct: { ...d, authorKey: ms.publicKey, signature: ms.sign(directSignedBytes(d)) } });
    // A genuine broadcast of mallory's own: it arrives, which proves the two before were read and dropped.
    c.send(signedBroadcast(mallory, { messageId: randomBytes(16), origin: mallory.peerIdBytes, maxHops: 8, chat: { text: 'mallory here', fromName: 'mallory' } }));
    await waitFor(() => got.length >= 1, 10_000, 'the genuine broadcast');
    expect(got.map((m) => `${m.from === mallory.peerId ? 'mallory' : m.from}:${m.text}`)).toEqual(['mallory:mallory here']);
    expect(alice.stats().messagesRejected).toBe(2);
    // 3. An unsigned broadcast: the third offence closes the session.
    c.send({ broadcast: { messageId: randomBytes(16), origin: bobId, maxHops: 8, chat: chat('unsigned') } });
    await c.closed;
    expect(c.frames.find((f) => f.body === 'goodbye')?.goodbye?.reason).toBe(GB.GOODBYE_REASON_PROTOCOL_ERROR);
    expect(alice.stats().messagesRejected).toBe(3);
    expect(got).toHaveLength(1);
  });

  it('never reports a direct as delivered on a forged acknowledgement, and the relay sees only the sealed payload', async () => {
    h = new Harness();
    const alice = await h.node({ name: 'alice' });
    const bob = await h.node({ name: 'bob' });
    // Alice knows bob's key (as a contact book would tell her) but has no session with him: mallory is her only way.
    expect(alice.learnKey(bob.signer.publicKey)).toBe(bob.peerId);
    const mallory = await generateIdentity();
    const c = await rawClient(addressOf(alice), mallory);
    const seen: Buffer[] = [];
    c.socket.on('data', (chunk: Buffer) => seen.push(chunk));
    c.send(hello(mallory));
    await waitFor(() => alice.peers().some((p) => p.peerId === mallory.peerId && p.state === 'connected'));
    const result = alice.send(bob.peerId, 'the launch code is 1234', { timeoutMs: 1500 });
    await waitFor(() => c.frames.some((f) => f.body === 'direct'), 10_000, 'the direct at the relay');
    const direct = c.frames.find((f) => f.body === 'direct')!.direct!;
    expect(direct.chat).toBeFalsy();
    expect(direct.sealedPayload?.length).toBeGreaterThan(0);
    expect(Buffer.concat(seen).includes(Buffer.from('launch code'))).toBe(false);
    // Mallory answers DELIVERED in bob's name with her own key, and in her own name (a valid signature, wrong writer).
    const ms = createMessageSigner(mallory);
    const forged: p2p.v1.IDirectAck = { messageId: direct.messageId, to: direct.from, from: peerIdFromString(bob.peerId), status: v1.DirectStatus.DIRECT_STATUS_DELIVERED };
    const own: p2p.v1.IDirectAck = { ...forged, from: mallory.peerIdBytes };
    c.send({ directAck: { ...forged, authorKey: ms.publicKey, signature: ms.sign(directAckSignedBytes(forged)) } });
    c.send({ directAck: { ...own, authorKey: ms.publicKey, signature: ms.sign(directAckSignedBytes(own)) } });
    expect((await result).status).not.toBe('delivered');
    expect(alice.stats().messagesRejected).toBe(1);
  });
});

describe('private relayed directs', () => {
  it('delivers through a relay whose bytes never contain the text (insecure sessions, captured on the wire)', async () => {
    h = new Harness();
    const relay = await h.node({ name: 'relay', insecure: true });
    const alice = await h.node({ name: 'alice', insecure: true });
    const bob = await h.node({ name: 'bob', insecure: true });
    // A TCP proxy between alice and the relay records every byte the relay receives from alice.
    const captured: Buffer[] = [];
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((inbound) => {
      const out = net.connect(addressOf(relay).port, '127.0.0.1');
      sockets.add(inbound).add(out);
      inbound.on('data', (b) => { captured.push(b); out.write(b); });
      out.on('data', (b) => inbound.write(b));
      inbound.on('close', () => out.destroy());
      out.on('close', () => inbound.destroy());
      inbound.on('error', () => undefined);
      out.on('error', () => undefined);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as net.AddressInfo).port;
      await alice.connect({ host: '127.0.0.1', port });
      await bob.connect(addressOf(relay));
      const atAlice = inbox(alice);
      const atBob = inbox(bob);
      // Alice has never heard from bob: the first send probes for his key (his signed ack brings it), then seals.
      await waitFor(() => relay.peers().filter((p) => p.state === 'connected').length === 2, 10_000, 'the chain');
      expect(alice.peerKey(bob.peerId)).toBeUndefined();
      expect(alice.peers().find((p) => p.peerId === bob.peerId)?.state).not.toBe('connected');
      const result = await alice.send(bob.peerId, 'meet at the old mill', { timeoutMs: 8000 });
      expect(result.status).toBe('delivered');
      expect(atBob.find((m) => m.kind === 'direct')).toMatchObject({ from: alice.peerId, text: 'meet at the old mill' });
      expect(Buffer.concat(captured).includes(Buffer.from('old mill'))).toBe(false);
      expect(alice.peerKey(bob.peerId)).toBeDefined();
      // A second line goes sealed at once; a broadcast is public and signed, not sealed.
      expect((await alice.send(bob.peerId, 'bring the map', { timeoutMs: 8000 })).status).toBe('delivered');
      expect(Buffer.concat(captured).includes(Buffer.from('bring the map'))).toBe(false);
      expect(atAlice).toHaveLength(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });

  it('refuses to send through others when the recipient\'s key is unknown', async () => {
    h = new Harness();
    const alice = await h.node({ name: 'alice' });
    const stranger = (await generateIdentity()).peerId;
    const r = await alice.send(stranger, 'hello?', { timeoutMs: 2000 });
    expect(r.status).toBe('unreachable');
    expect(r.detail).toMatch(/key .* is unknown/);
  });
});

describe('hello checks', () => {
  it('refuses a Hello whose name carries escape sequences', async () => {
    h = new Harness();
    const alice = await h.node({ name: 'alice' });
    const warnings: string[] = [];
    alice.on('warning', (w) => warnings.push(w.code));
    const id = await generateIdentity();
    const c = await rawClient(addressOf(alice), id);
    c.send(hello(id, 'bob\x1b]0;pwned\x07'));
    await c.closed;
    expect(c.frames.find((f) => f.body === 'goodbye')?.goodbye?.reason).toBe(GB.GOODBYE_REASON_PROTOCOL_ERROR);
    expect(warnings).toContain('ERR_INVALID_NAME');
    expect(alice.peers()).toHaveLength(0);
  });

  it('insecure mode: a Hello claiming the peer ID of a live session never displaces it', async () => {
    h = new Harness();
    const a = await h.node({ name: 'a', insecure: true });
    const b = await h.node({ name: 'b', insecure: true });
    await a.connect(addressOf(b));
    const atB = inbox(b);
    const sock = net.connect(addressOf(a).port, '127.0.0.1');
    const frames: p2p.v1.IGoodbye[] = [];
    const dec = new FrameDecoder();
    sock.on('data', (chunk) => { for (const e of dec.pushEnvelopes(chunk)) if (e.goodbye) frames.push(e.goodbye); });
    sock.on('error', () => undefined);
    const closed = new Promise<void>((r) => sock.on('close', () => r()));
    await new Promise<void>((r) => sock.once('connect', () => r()));
    // The impostor claims b's peer ID and a fresh instance ID (as if b had restarted).
    sock.write(encodeFrame({ hello: { protocolVersion: 1, peerId: peerIdFromString(b.peerId), name: 'b', listenPort: 0, role: v1.Role.ROLE_PEER, instanceId: randomBytes(16) } }));
    await closed;
    expect(frames[0]?.reason).toBe(GB.GOODBYE_REASON_DUPLICATE_SESSION);
    expect(a.peers().find((p) => p.peerId === b.peerId)?.state).toBe('connected');
    expect((await a.send(b.peerId, 'still you?', { timeoutMs: 5000 })).status).toBe('delivered');
    expect(atB.map((m) => m.text)).toEqual(['still you?']);
  });
});
