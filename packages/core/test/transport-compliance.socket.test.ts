// The socket transport (TCP + mutual TLS 1.3, UDP discovery) against the transport compliance suite, on loopback.
import { createServer } from 'node:net';
import { describe } from 'vitest';
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
