import { describe, expect, it } from 'vitest';
import type { DaemonConfig } from '../config/index.js';
import { planReload } from './reload-plan.js';

const base: DaemonConfig = { dataDir: '/d', role: 'peer', lan: true, seeds: [], insecure: false, logLevel: 'info', name: 'a', clique: [], cliqueAllow: [] };

describe('planReload', () => {
  it('sorts every changed setting by how it can be applied', () => {
    expect(planReload(base, base)).toEqual({ live: [], node: [], restart: [] });
    const next: DaemonConfig = { ...base, logLevel: 'debug', name: 'b', seeds: [{ host: '127.0.0.1', port: 1 }], socket: '/s', controlIdleTimeout: 5 };
    expect(planReload(base, next)).toEqual({ live: ['logLevel', 'controlIdleTimeout'], node: ['name', 'seeds'], restart: ['socket'] });
  });

  it('applies inbox quotas live', () => {
    expect(planReload(base, { ...base, inboxQuota: 1024, inboxSenderRate: 5 })).toEqual({ live: ['inboxQuota', 'inboxSenderRate'], node: [], restart: [] });
  });
});
