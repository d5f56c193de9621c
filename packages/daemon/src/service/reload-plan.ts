import type { DaemonConfig } from '../config/index.js';

/** How a reload applies each changed setting. */
export interface ReloadPlan {
  /** Settings applied without touching the node (log level, metrics endpoint, control idle timeout, inbox quotas). */
  live: string[];
  /** Settings of the node: applied by restarting the node in place (sessions drop and re-form; socket and inbox stay). */
  node: string[];
  /** Settings only a restart of p2pd applies (data directory, control socket). */
  restart: string[];
}

const LIVE: readonly (keyof DaemonConfig)[] = ['logLevel', 'metrics', 'controlIdleTimeout', 'inboxQuota', 'inboxSenderShare', 'inboxSenderRate'];
const NODE: readonly (keyof DaemonConfig)[] = [
  'name', 'role', 'listen', 'lan', 'interface', 'mask', 'discoveryPort', 'seeds', 'insecure', 'keylog', 'expectedPeerId',
  'shares', 'downloads',
  'clique', 'cliqueAllow', 'cliqueListen', 'cliqueMaxClients', 'cliqueLineRate',
];
const RESTART: readonly (keyof DaemonConfig)[] = ['dataDir', 'socket', 'socketMode'];

/** What changed between two configurations, grouped by how a reload can apply it. */
export function planReload(current: DaemonConfig, next: DaemonConfig): ReloadPlan {
  const changed = (key: keyof DaemonConfig) => JSON.stringify(current[key]) !== JSON.stringify(next[key]);
  return { live: LIVE.filter(changed), node: NODE.filter(changed), restart: RESTART.filter(changed) };
}
