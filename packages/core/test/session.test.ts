import { afterEach, describe, expect, it } from 'vitest';
import { IdentityMismatchError, ListenError } from '../src/errors.js';
import { createNode } from '../src/node/create-node.js';
import type { InboundMessage } from '../src/message/inbound-message.js';
import { Harness, addressOf, waitFor } from './helpers.js';

let h: Harness;
afterEach(async () => { await h.cleanup(); });

describe('two nodes over TLS on loopback', () => {
  it('authenticate, say hello, ping, broadcast and send directly', async () => {
    h = new Harness();
    const a = await h.node({ name: 'alice' });
    const b = await h.node({ name: 'bob', seeds: [addressOf(a)] });
    await waitFor(() => a.peers().some((p) => p.state === 'connected') && b.peers().some((p) => p.state === 'connected'), 10_000, 'session');
    const fromA = a.peers().find((p) => p.peerId === b.peerId)!;
    expect(fromA).toMatchObject({ name: 'bob', state: 'connected', direction: 'inbound' });
    expect(b.peers().find((p) => p.peerId === a.peerId)).toMatchObject({ name: 'alice', direction: 'outbound' });
    expect(a.resolve('bob')).toBe(b.peerId);
    expect(a.resolve(b.peerId.slice(0, 8))).toBe(b.peerId);

    const rtt = await a.ping('bob');
    expect(rtt).toBeGreaterThan(0);

    const got: InboundMessage[] = [];
    b.on('message', (m) => got.push(m));
    a.broadcast('hello all');
    const result = await a.send('bob', 'hello bob');
    expect(result.status).toBe('delivered');
    await waitFor(() => got.length === 2, 5000, 'messages');
    expect(got.map((m) => `${m.kind}:${m.text}:${m.fromName}`).sort()).toEqual(['broadcast:hello all:alice', 'direct:hello bob:alice']);
    expect(b.stats().broadcastsDelivered).toBe(1);

    const disconnected: string[] = [];
    a.on('peer:disconnect', (e) => disconnected.push(e.reason));
    await b.stop();
    expect(b.peers().filter((p) => p.state === 'connected')).toEqual([]);
    await waitFor(() => disconnected.length === 1, 3000, 'goodbye');
    expect(disconnected[0]).toContain('SHUTDOWN');
  });
});

describe('starting a node', () => {
  it('fails with typed errors and leaks nothing: port in use, key of another peer', async () => {
    h = new Harness();
    const a = await h.node();
    const clash = createNode({ dataDir: await h.dir(), listen: addressOf(a), lan: { enabled: false } });
    await expect(clash.start()).rejects.toBeInstanceOf(ListenError);
    const dir = await h.dir();
    const first = await h.node({ dataDir: dir });
    const id = first.peerId;
    await first.stop();
    const other = 'a'.repeat(52);
    const wrong = createNode({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 }, lan: { enabled: false }, expectedPeerId: other });
    await expect(wrong.start()).rejects.toBeInstanceOf(IdentityMismatchError);
    const right = createNode({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 }, lan: { enabled: false }, expectedPeerId: id });
    await right.start();
    expect(right.peerId).toBe(id);
    await right.stop();
  });
});
