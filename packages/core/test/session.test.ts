import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../src/node/types.js';
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
    const t0 = Date.now();
    await b.stop();
    expect(Date.now() - t0).toBeLessThan(1500);
    await waitFor(() => disconnected.length === 1, 3000, 'goodbye');
    expect(disconnected[0]).toContain('SHUTDOWN');
  });
});
