// Handshake rules over real TLS sockets on loopback: version mismatch, identity binding, bad frames, floods,
// handshake timeout and the pending-handshake cap.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { v1 } from '../src/codec/wire.js';
import { IdentityMismatchError } from '../src/errors.js';
import { generateIdentity } from '../src/identity/node-identity.js';
import { peerIdFromString } from '../src/identity/peer-id.js';
import { silentLogger } from '../src/util/logger.js';
import { createSocketTransport } from '../src/transport/socket-transport.js';
import { Harness, addressOf, waitFor } from './helpers.js';
import { rawClient } from './raw-client.js';

let h: Harness;
afterEach(async () => { await h.cleanup(); });
const GB = v1.GoodbyeReason;

function hello(id: Awaited<ReturnType<typeof generateIdentity>>, version = 1, peerId = id.peerIdBytes) {
  return { hello: { protocolVersion: version, peerId, name: 'raw', listenPort: 0, role: v1.Role.ROLE_PEER, instanceId: new Uint8Array(16).fill(9) } };
}

/** A raw TCP connection to a loopback port from `localAddress` (any 127.0.0.0/8 address is this host). */
function connectFrom(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise<net.Socket>((r) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress }, () => r(s));
    s.on('error', () => undefined);
  });
}

/** Resolves once `s` is closed. */
function closed(s: net.Socket): Promise<void> {
  return new Promise<void>((r) => { if (s.destroyed) r(); else s.on('close', () => r()); });
}

describe('handshake', () => {
  it('refuses an incompatible protocol version with a clear Goodbye and a typed warning', async () => {
    h = new Harness();
    const a = await h.node();
    const warnings: { code: string; message: string }[] = [];
    a.on('warning', (w) => warnings.push(w));
    const id = await generateIdentity();
    const c = await rawClient(addressOf(a), id);
    c.send(hello(id, 99));
    await c.closed;
    expect(c.frames[0]!.body).toBe('hello');
    const bye = c.frames.find((f) => f.body === 'goodbye')!.goodbye!;
    expect(bye.reason).toBe(GB.GOODBYE_REASON_INCOMPATIBLE_VERSION);
    expect(bye.detail).toMatch(/version 99 is not supported.*speaks version 1/);
    expect(warnings.some((w) => w.code === 'ERR_UNSUPPORTED_VERSION')).toBe(true);
    expect(a.peers()).toHaveLength(0);
  });

  it('refuses a Hello claiming a peer ID other than the certificate key', async () => {
    h = new Harness();
    const a = await h.node();
    const b = await h.node();
    const id = await generateIdentity();
    const c = await rawClient(addressOf(a), id);
    c.send(hello(id, 1, peerIdFromString(b.peerId)));
    await c.closed;
    expect(c.frames.find((f) => f.body === 'goodbye')!.goodbye!.reason).toBe(GB.GOODBYE_REASON_IDENTITY_MISMATCH);
    expect(a.peers()).toHaveLength(0);
  });

  it('refuses a Hello whose instance ID or agent is oversized, so no peer record can be made to hold it', async () => {
    h = new Harness();
    const a = await h.node();
    // Every record of the peer book (10,000 of them) would otherwise keep what a stranger put there.
    for (const extra of [{ instanceId: new Uint8Array(50_000).fill(7) }, { agent: 'a'.repeat(50_000) }]) {
      const id = await generateIdentity();
      const c = await rawClient(addressOf(a), id);
      c.send({ hello: { ...hello(id).hello, ...extra } });
      await c.closed;
      const bye = c.frames.find((f) => f.body === 'goodbye')?.goodbye;
      expect(bye?.reason, Object.keys(extra)[0]).toBe(GB.GOODBYE_REASON_PROTOCOL_ERROR);
      expect(a.peers()).toHaveLength(0);
    }
    // A well-formed Hello is still welcome.
    const id = await generateIdentity();
    const ok = await rawClient(addressOf(a), id);
    ok.send(hello(id));
    await waitFor(() => a.peers().some((p) => p.peerId === id.peerId), 10_000, 'the honest raw peer');
    ok.socket.destroy();
  });

  it('fails a dial whose key is not the peer ID dialled', async () => {
    h = new Harness();
    const a = await h.node();
    const b = await h.node();
    const transport = createSocketTransport({ identity: await generateIdentity(), insecure: false, logger: silentLogger });
    // B's peer ID at A's address: the TLS handshake proves A's key, so the dial must fail.
    await expect(transport.dial(addressOf(a), { expectedPeerId: b.peerId })).rejects.toBeInstanceOf(IdentityMismatchError);
    const ok = await transport.dial(addressOf(b), { expectedPeerId: b.peerId });
    expect(ok.authenticatedPeerId).toBe(b.peerId);
    ok.stream.destroy();
  });

  it('closes a session that sends a malformed or oversized frame, and only that one', async () => {
    h = new Harness();
    const a = await h.node();
    const b = await h.node({ seeds: [addressOf(a)] });
    await waitFor(() => a.peers().some((p) => p.peerId === b.peerId && p.state === 'connected'));
    for (const bytes of [Uint8Array.of(3, 0xff, 0xff, 0xff), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)]) {
      const id = await generateIdentity();
      const c = await rawClient(addressOf(a), id);
      c.send(hello(id));
      await waitFor(() => a.peers().some((p) => p.peerId === id.peerId && p.state === 'connected'));
      c.write(bytes);
      await c.closed;
      expect(c.frames.find((f) => f.body === 'goodbye')!.goodbye!.reason).toBe(GB.GOODBYE_REASON_PROTOCOL_ERROR);
    }
    expect(a.stats().framesDropped).toBeGreaterThanOrEqual(2);
    expect(await a.ping(b.peerId)).toBeGreaterThan(0);
  });

  it('drops then closes a flooding peer while serving the others', async () => {
    h = new Harness();
    const a = await h.node({ mesh: { framesPerSecond: 200, frameBurst: 100 } });
    const b = await h.node({ seeds: [addressOf(a)] });
    await waitFor(() => a.peers().some((p) => p.peerId === b.peerId && p.state === 'connected'));
    const id = await generateIdentity();
    const c = await rawClient(addressOf(a), id);
    c.send(hello(id));
    await waitFor(() => a.peers().some((p) => p.peerId === id.peerId && p.state === 'connected'));
    for (let i = 0; i < 2000 && !c.isClosed(); i++) c.send({ ihave: { messageIds: [new Uint8Array(16).fill(i & 255)] } });
    await c.closed;
    const bye = c.frames.find((f) => f.body === 'goodbye')!.goodbye!;
    expect(bye.reason).toBe(GB.GOODBYE_REASON_PROTOCOL_ERROR);
    expect(bye.detail).toMatch(/rate limit/);
    expect(a.stats().framesDropped).toBeGreaterThan(100);
    expect(await a.ping(b.peerId)).toBeGreaterThan(0);
  });

  it('closes a connection that never says Hello, and caps pending handshakes, dropping the oldest', async () => {
    h = new Harness();
    const a = await h.node({ mesh: { handshakeTimeoutMs: 60_000, maxPendingHandshakes: 2 } });
    const ids = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()]);
    const c1 = await rawClient(addressOf(a), ids[0]!);
    const c2 = await rawClient(addressOf(a), ids[1]!);
    await waitFor(() => c1.frames.length > 0 && c2.frames.length > 0, 5000, 'server hellos');
    // A third over the cap takes the oldest one's slot: two silent sessions can no longer lock everyone out.
    const c3 = await rawClient(addressOf(a), ids[2]!);
    await c1.closed;
    await waitFor(() => c3.frames.length > 0, 5000, 'the newcomer gets a hello');
    expect(c2.isClosed()).toBe(false);
    // And the node can still dial out while both slots are held by silent inbound sessions.
    const b = await h.node();
    expect(await a.connect(addressOf(b), b.peerId)).toBe(b.peerId);
    for (const c of [c2, c3]) c.socket.destroy();
  });

  it('closes a connection that never says Hello in time', async () => {
    h = new Harness();
    const a = await h.node({ mesh: { handshakeTimeoutMs: 400 } });
    const c1 = await rawClient(addressOf(a), await generateIdentity());
    await c1.closed;
    expect(c1.frames.find((f) => f.body === 'goodbye')!.goodbye!.detail).toMatch(/no hello/);
  });

  it('caps TLS handshakes in progress at the transport; stalled connections cannot lock newcomers out', async () => {
    h = new Harness();
    const transport = createSocketTransport({ identity: await generateIdentity(), insecure: false, logger: silentLogger, maxPendingHandshakes: 2, handshakeTimeoutMs: 60_000 });
    const listener = await transport.listen({ host: '127.0.0.1', port: 0 }, () => undefined);
    const connect = () => new Promise<net.Socket>((r) => { const s = net.connect(listener.address.port, '127.0.0.1', () => r(s)); s.on('error', () => undefined); });
    // Slowloris: connections that open and never say a word hold both slots...
    const stalled: net.Socket[] = [];
    for (let i = 0; i < 2; i++) { stalled.push(await connect()); await new Promise((r) => setTimeout(r, 20)); }
    // ...a third one makes room by dropping the oldest, not itself (it used to be dropped, so 2 sockets locked everyone out).
    const third = await connect();
    await closed(stalled[0]!);
    expect(stalled[1]!.destroyed).toBe(false);
    // A real client still gets through while the attacker keeps its sockets open.
    const later = await rawClient(listener.address, await generateIdentity());
    expect(later.isClosed()).toBe(false);
    await closed(stalled[1]!);
    later.socket.destroy();
    third.destroy();
    await listener.close();
  });

  it('bounds the handshakes one address holds, dropping its own oldest', async () => {
    h = new Harness();
    const transport = createSocketTransport({
      identity: await generateIdentity(), insecure: false, logger: silentLogger, maxPendingHandshakes: 8, maxPendingHandshakesPerAddress: 2, handshakeTimeoutMs: 60_000,
    });
    const listener = await transport.listen({ host: '127.0.0.1', port: 0 }, () => undefined);
    const from = (localAddress: string) => connectFrom(listener.address.port, localAddress);
    const other = await from('127.0.0.2');
    const flood: net.Socket[] = [];
    for (let i = 0; i < 4; i++) { flood.push(await from('127.0.0.1')); await new Promise((r) => setTimeout(r, 20)); }
    await Promise.all([closed(flood[0]!), closed(flood[1]!)]);
    // The other address's handshake was never touched by the flood.
    expect(other.destroyed).toBe(false);
    for (const s of [other, ...flood]) s.destroy();
    await listener.close();
  });

  it('when full, drops the oldest handshake of the address holding the most, not an older one from elsewhere', async () => {
    h = new Harness();
    const transport = createSocketTransport({
      identity: await generateIdentity(), insecure: false, logger: silentLogger, maxPendingHandshakes: 4, handshakeTimeoutMs: 60_000,
    });
    const listener = await transport.listen({ host: '127.0.0.1', port: 0 }, () => undefined);
    const from = (localAddress: string) => connectFrom(listener.address.port, localAddress);
    // The oldest handshake in progress is another address's; then one address fills the gate and goes on.
    const other = await from('127.0.0.2');
    await new Promise((r) => setTimeout(r, 20));
    const flood: net.Socket[] = [];
    for (let i = 0; i < 5; i++) { flood.push(await from('127.0.0.1')); await new Promise((r) => setTimeout(r, 20)); }
    await Promise.all([closed(flood[0]!), closed(flood[1]!)]);
    expect(other.destroyed).toBe(false);
    for (const s of [other, ...flood]) s.destroy();
    await listener.close();
  });

  it('keeps exactly one session, the same on both sides, when both dial each other at once', async () => {
    h = new Harness();
    // No mesh dialling of their own: only the simultaneous connects below.
    const a = await h.node({ mesh: { targetDegree: 1, maxConnections: 1 } });
    const b = await h.node({ mesh: { targetDegree: 1, maxConnections: 1 } });
    for (let round = 0; round < 5; round++) {
      const [x, y] = await Promise.all([a.connect(addressOf(b), b.peerId), b.connect(addressOf(a), a.peerId)]);
      expect([x, y]).toEqual([b.peerId, a.peerId]);
      // The losing duplicate closes on both ends; the survivor is the connection dialled by the smaller peer ID.
      const kept = a.peerId < b.peerId ? 'outbound' : 'inbound';
      const settled = (): boolean => a.peers().some((p) => p.state === 'connected' && p.direction === kept)
        && b.peers().some((p) => p.state === 'connected' && p.direction !== kept);
      await waitFor(settled, 5000, 'one session, the same on both ends');
      const ab = a.peers().filter((p) => p.state === 'connected');
      const ba = b.peers().filter((p) => p.state === 'connected');
      expect(ab).toHaveLength(1);
      expect(ba).toHaveLength(1);
      // Both ends kept the same connection: the one dialled by the smaller peer ID.
      expect(ab[0]!.direction).toBe(a.peerId < b.peerId ? 'outbound' : 'inbound');
      expect(ba[0]!.direction).toBe(ab[0]!.direction === 'outbound' ? 'inbound' : 'outbound');
      expect(await a.ping(b.peerId)).toBeGreaterThan(0);
      // Tear down for the next round.
      const gone = new Promise<void>((r) => { const off = b.on('peer:disconnect', () => { off(); r(); }); });
      expect(a.disconnect(b.peerId)).toBe(true);
      await gone;
    }
  });
});
