import { isIP } from 'node:net';
import * as v from 'valibot';
import { ConfigError } from '../errors.js';
import { nameProblem } from '../text/sanitize.js';
import type { TransportFactory } from '../transport/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { issueKey, NodeConfigSchema } from './config-schema.js';
import type { HostPort, InboundMessage, Logger, NodeConfig, NodeRole } from './types.js';

/** A NodeConfig with every default filled in. */
export interface ResolvedNodeConfig {
  dataDir: string;
  name: string | undefined;
  role: NodeRole;
  listen: HostPort;
  lan: { enabled: boolean; interface: string | undefined; mask: string | undefined; port: number; multicastGroup: string; intervalMs: number };
  seeds: HostPort[];
  insecure: boolean;
  keylogFile: string | undefined;
  mesh: Required<NonNullable<NodeConfig['mesh']>>;
  logger: Logger | undefined;
  transport: TransportFactory | undefined;
  clock: Clock;
  persist: ((message: InboundMessage) => Promise<void>) | undefined;
  broadcastMode: 'plumtree' | 'flood';
  expectedPeerId: string | undefined;
  seedTtlMs: number;
  limits: Required<NonNullable<NodeConfig['limits']>>;
}

/** Default TCP port of sessions. */
export const DEFAULT_LISTEN_PORT = 7070;
/** Default UDP port of LAN discovery. */
export const DEFAULT_LAN_PORT = 7071;
/** Default multicast group of LAN discovery (organisation-local scope). */
export const DEFAULT_MULTICAST_GROUP = '239.192.112.112';

/**
 * Validates a configuration (a NodeConfig, or one built from a file or options) against the one schema
 * (config-schema.ts) and fills in defaults. Throws ConfigError naming the key at fault, for unknown keys and bad
 * values alike. The original design's keys (`ipv4`, `port`, `mask`, `peerid`) are the daemon's business: core
 * refuses them like any unknown key.
 */
export function normalizeConfig(raw: unknown): ResolvedNodeConfig {
  const parsed = v.safeParse(NodeConfigSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issueKey(issue);
    const unknownKey = issue.type === 'strict_object' && issue.expected === 'never';
    throw new ConfigError(key, unknownKey ? 'unknown key' : issue.message);
  }
  const c = parsed.output;
  if (c.name !== undefined) {
    const problem = nameProblem(c.name);
    if (problem) throw new ConfigError('name', `${JSON.stringify(c.name)} is ${problem} (peers refuse such a name at Hello)`);
  }
  const listen: HostPort = { host: c.listen?.host ?? '0.0.0.0', port: c.listen?.port ?? DEFAULT_LISTEN_PORT };
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
  const lan = {
    enabled: c.lan.enabled ?? true,
    interface: c.lan.interface ?? (wildcard || isIP(listen.host) !== 4 ? undefined : listen.host),
    mask: c.lan.mask,
    port: c.lan.port ?? DEFAULT_LAN_PORT,
    multicastGroup: c.lan.multicastGroup ?? DEFAULT_MULTICAST_GROUP,
    intervalMs: c.lan.intervalMs ?? 5000,
  };
  const m = c.mesh;
  const maxConnections = m.maxConnections ?? 50;
  const bounded = (value: number | undefined, key: string): number | undefined => {
    if (value !== undefined && value > maxConnections) {
      throw new ConfigError(`mesh.${key}`, `expected at most mesh.maxConnections (${maxConnections}), got ${value}`);
    }
    return value;
  };
  const mesh = {
    maxConnections,
    targetDegree: bounded(m.targetDegree, 'targetDegree') ?? Math.min(8, maxConnections),
    maxInbound: bounded(m.maxInbound, 'maxInbound') ?? Math.max(1, Math.floor((maxConnections * 3) / 4)),
    maxPendingHandshakes: m.maxPendingHandshakes ?? 16,
    handshakeTimeoutMs: m.handshakeTimeoutMs ?? 5000,
    pingIntervalMs: m.pingIntervalMs ?? 750,
    maxMissedPings: m.maxMissedPings ?? 3,
    framesPerSecond: m.framesPerSecond ?? 2000,
    frameBurst: m.frameBurst ?? 4000,
    maxQueueBytes: m.maxQueueBytes ?? 8 * 1024 * 1024,
    seedPeerLimit: m.seedPeerLimit ?? 50,
  };
  return {
    dataDir: c.dataDir, name: c.name, role: c.role ?? 'peer', listen, lan, seeds: c.seeds ?? [],
    insecure: c.insecure ?? false,
    keylogFile: c.keylogFile,
    mesh,
    logger: c.logger as Logger | undefined,
    transport: c.transport as TransportFactory | undefined,
    clock: (c.clock as Clock | undefined) ?? systemClock,
    persist: c.persist as ResolvedNodeConfig['persist'],
    broadcastMode: c.broadcastMode ?? 'plumtree',
    expectedPeerId: c.expectedPeerId,
    seedTtlMs: c.seedTtlMs ?? 30_000,
    limits: {
      broadcastsPerSecond: c.limits.broadcastsPerSecond ?? 50,
      broadcastBurst: c.limits.broadcastBurst ?? 300,
      penaltyMs: c.limits.penaltyMs ?? 60_000,
      unprovenDialsPerSecond: c.limits.unprovenDialsPerSecond ?? 2,
      maxUnprovenPeers: c.limits.maxUnprovenPeers ?? 256,
      seedRegistrationsPerAddress: c.limits.seedRegistrationsPerAddress ?? 16,
      persistConcurrency: c.limits.persistConcurrency ?? 32,
      persistQueuePerSender: c.limits.persistQueuePerSender ?? 256,
    },
  };
}
