// A client of this version on a server of the version before CliqueLines (which states no request budget at
// registration): it sends single signed lines (CliqueMessage), which such a server routes, instead of bursts it
// would drop.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliqueClient, verifyLine, type CliqueClient } from '../src/clique/index.js';
import { PROTOCOL_VERSION, v1, type p2p } from '../src/codec/wire.js';
import { generateIdentity } from '../src/identity/node-identity.js';
import { peerIdFromString } from '../src/identity/peer-id.js';
import { Session } from '../src/session/session.js';
import { createSocketTransport } from '../src/transport/socket-transport.js';
import type { TransportListener } from '../src/transport/types.js';
import { silentLogger } from '../src/util/logger.js';
import { waitFor } from './helpers.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => { for (const stop of stops.splice(0).reverse()) await stop(); });

/** A server that speaks the clique as the previous version did: registers names, reports every line delivered. */
async function oldServer() {
  const identity = await generateIdentity();
  const transport = createSocketTransport({ identity, insecure: false, logger: silentLogger });
  const received: p2p.v1.IClique[] = [];
  const counters = { bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0 };
  const listener: TransportListener = await transport.listen({ host: '127.0.0.1', port: 0 }, (conn) => {
    const s: Session = new Session(conn, {
      localHello: () => ({ protocolVersion: PROTOCOL_VERSION, peerId: peerIdFromString(identity.peerId), name: 'old', role: v1.Role.ROLE_SERVER, instanceId: randomBytes(16) }),
      onOpen: () => undefined,
      onClose: () => undefined,
      onEnvelope: (_s, env) => {
        const m = env.clique;
        if (!m) return;
        received.push(m);
        if (m.clientRegister) s.send({ clique: { clientRegistered: { name: m.clientRegister.name, online: 1 } } });
        if (m.message) s.send({ clique: { deliveryReport: { messageId: m.message.messageId, status: v1.CliqueDeliveryStatus.CLIQUE_DELIVERY_STATUS_DELIVERED, delivered: 1 } } });
      },
    }, counters, { handshakeTimeoutMs: 5000 });
  });
  stops.push(async () => { await listener.close(); await transport.close(); });
  return { address: listener.address, received };
}

describe('a clique client on a server that states no budget (the version before CliqueLines)', () => {
  it('sends each line as a signed CliqueMessage and settles it by its own report', async () => {
    const server = await oldServer();
    const identity = await generateIdentity();
    const c: CliqueClient = createCliqueClient({ servers: [server.address], name: 'alice', identity, reconnect: false });
    stops.push(() => c.close());
    await c.connect();
    const results = await Promise.all(['one', 'two', 'three'].map((t) => c.send('bob', t)));
    expect(results).toEqual(Array.from({ length: 3 }, () => ({ status: 'delivered', delivered: 1 })));
    await waitFor(() => server.received.filter((m) => m.message).length === 3, 5000, 'three lines');
    expect(server.received.some((m) => m.lines)).toBe(false);
    const lines = server.received.filter((m) => m.message).map((m) => m.message!);
    expect(lines.map((m) => m.chat?.text)).toEqual(['one', 'two', 'three']);
    for (const m of lines) expect(verifyLine(m)).toBe(identity.peerId);
  });
});
