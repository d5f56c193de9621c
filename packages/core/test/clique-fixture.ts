// What the clique tests on real nodes share: the servers and clients a test starts, stopped after each test.
import { afterEach } from 'vitest';
import type { CliqueClient, CliqueServer } from '../src/clique/index.js';
import type { Harness } from './helpers.js';

/**
 * Arrays a test pushes its clique servers and clients into; after each test the clients close, then the servers
 * stop, then the harness (`harness()`, the current one) cleans up.
 */
export function cliqueTeardown(harness: () => Harness | undefined): { servers: CliqueServer[]; clients: CliqueClient[] } {
  const servers: CliqueServer[] = [];
  const clients: CliqueClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await harness()?.cleanup();
  });
  return { servers, clients };
}
