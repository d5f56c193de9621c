// The socket transport (TCP + mutual TLS 1.3, UDP discovery) against the transport compliance suite, on loopback.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../src/identity/node-identity.js';
import { waitFor } from '../src/testing/index.js';
import type { TransportConnection } from '../src/transport/types.js';
import { createSocketTransport } from '../src/transport/socket-transport.js';
import { silentLogger } from '../src/util/logger.js';
import { transportCompliance } from './transport-compliance.js';

/** A loopback port that was free a moment ago and is closed now. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('socket transport compliance', () => {
  transportCompliance(() => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    return {
      create: (identity) => createSocketTransport({ identity, insecure: false, logger: silentLogger, handshakeTimeoutMs: 5000 }),
      listenAddress: { host: '127.0.0.1', port: 0 },
      deadAddress: async () => ({ host: '127.0.0.1', port: await closedPort() }),
      discovery: () => ({ interface: '127.0.0.1', mask: '255.0.0.0', port, multicastGroup: '' }),
    };
  });
});

describe('socket transport reads', () => {
  it('reads dialled and accepted TLS connections through one reused buffer (readInto), with no data events', async () => {
    const [ida, idb] = await Promise.all([generateIdentity(), generateIdentity()]);
    const a = createSocketTransport({ identity: ida, insecure: false, logger: silentLogger });
    const b = createSocketTransport({ identity: idb, insecure: false, logger: silentLogger });
    const accepted: TransportConnection[] = [];
    const listener = await b.listen({ host: '127.0.0.1', port: 0 }, (c) => accepted.push(c));
    const out = await a.dial(listener.address);
    await waitFor(() => accepted.length === 1, 10_000, 'the inbound connection');
    const inbound = accepted[0]!;
    expect(out.readInto).toBeTypeOf('function');
    expect(inbound.readInto).toBeTypeOf('function');
    const lent: Uint8Array[] = [];
    inbound.readInto!((chunk) => lent.push(chunk));
    out.stream.write('one');
    await waitFor(() => lent.length > 0, 10_000, 'the bytes');
    // Every chunk is lent from the same buffer, not a new one.
    expect(new Set(lent.map((c) => c.buffer)).size).toBe(1);
    out.stream.destroy();
    inbound.stream.destroy();
    await listener.close();
    await Promise.all([a.close(), b.close()]);
  });
});
