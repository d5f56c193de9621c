// The in-memory network's transport against the transport compliance suite.
import { describe } from 'vitest';
import { createMemoryNetwork } from '../src/transport/memory-network.js';
import { silentLogger } from '../src/util/logger.js';
import { transportCompliance } from './transport-compliance.js';

describe('in-memory transport compliance', () => {
  transportCompliance(() => {
    const net = createMemoryNetwork();
    return {
      create: (identity) => net.factory({ identity, insecure: false, logger: silentLogger }),
      listenAddress: { host: '127.0.0.1', port: 0 },
      deadAddress: async () => ({ host: 'mem:999999', port: 1 }),
      discovery: () => ({ interface: '127.0.0.1', mask: '255.0.0.0', port: 7071 }),
    };
  });
});
