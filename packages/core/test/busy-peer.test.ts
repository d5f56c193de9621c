// No false positives: a peer whose pongs are stuck (behind data, or a slow event loop) but whose frames keep
// arriving is busy, not dead: every frame received counts as proof of life.
import { afterEach, describe, expect, it } from 'vitest';
import { v1 } from '../src/codec/wire.js';
import { generateIdentity } from '../src/identity/node-identity.js';
import { Harness, addressOf, waitFor } from './helpers.js';
import { rawClient } from './raw-client.js';

let h: Harness;
afterEach(async () => { await h.cleanup(); });

describe('liveness under load', () => {
  it('keeps a peer that never answers pings while its data keeps coming, and drops it once it goes quiet', async () => {
    h = new Harness();
    const a = await h.node({ mesh: { pingIntervalMs: 150, maxMissedPings: 3 } });
    const id = await generateIdentity();
    const busy = await rawClient(addressOf(a), id);
    busy.send({ hello: { protocolVersion: 1, peerId: id.peerIdBytes, name: 'busy', listenPort: 0, role: v1.Role.ROLE_PEER, instanceId: new Uint8Array(16) } });
    await waitFor(() => a.peers().some((p) => p.peerId === id.peerId && p.state === 'connected'));
    // Data every 50 ms, never a pong, for 1.5 s: over three times the silence that would make it dead.
    for (let i = 0; i < 30; i++) {
      busy.send({ ihave: { messageIds: [new Uint8Array(16).fill(i)], hopCount: 1 } });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(busy.frames.filter((f) => f.body === 'ping').length).toBeGreaterThan(5);
    expect(a.peers().find((p) => p.peerId === id.peerId)?.state).toBe('connected');
    expect(a.stats().peersDeclaredDead).toBe(0);
    // Now it goes quiet: dead within a few intervals.
    await waitFor(() => a.stats().peersDeclaredDead === 1, 5000, 'declared dead');
    await busy.closed;
  });
});
