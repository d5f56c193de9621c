import type { Logger, NodeConfig } from '@p2p/core';
import type { DaemonConfig } from './options.js';

/** Translates the daemon's configuration into createNode's. */
export function toNodeConfig(config: DaemonConfig, logger: Logger): NodeConfig {
  const lan: NonNullable<NodeConfig['lan']> = { enabled: config.lan };
  if (config.interface) lan.interface = config.interface;
  if (config.mask) lan.mask = config.mask;
  if (config.discoveryPort !== undefined) lan.port = config.discoveryPort;
  const node: NodeConfig = { dataDir: config.dataDir, role: config.role, lan, seeds: config.seeds, insecure: config.insecure, logger };
  if (config.name) node.name = config.name;
  if (config.listen) node.listen = config.listen;
  if (config.keylog) node.keylogFile = config.keylog;
  if (config.expectedPeerId) node.expectedPeerId = config.expectedPeerId;
  const limits: NonNullable<NodeConfig['limits']> = {};
  if (config.broadcastRate !== undefined) limits.broadcastsPerSecond = config.broadcastRate;
  if (config.broadcastBurst !== undefined) limits.broadcastBurst = config.broadcastBurst;
  if (config.penaltySeconds !== undefined) limits.penaltyMs = config.penaltySeconds * 1000;
  if (Object.keys(limits).length > 0) node.limits = limits;
  return node;
}
