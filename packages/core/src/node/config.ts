import { nameProblem } from '../text/sanitize.js';
import { isIP } from 'node:net';
import { ConfigError } from '../errors.js';
import { isPeerIdString } from '../identity/peer-id.js';
import { parseMask } from '../transport/subnet.js';
import type { TransportFactory } from '../transport/types.js';
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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKeys(obj: Obj, allowed: string[], prefix: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new ConfigError(prefix + k, `unknown key (known: ${allowed.join(', ')})`);
  }
}
function str(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ConfigError(key, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}
function bool(v: unknown, key: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ConfigError(key, `expected true or false, got ${JSON.stringify(v)}`);
  return v;
}
function int(v: unknown, key: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(key, `expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}
function host(v: unknown, key: string): string | undefined {
  const s = str(v, key)?.trim();
  if (s === undefined) return undefined;
  if (!s || /\s/.test(s)) throw new ConfigError(key, `expected an address, got ${JSON.stringify(v)}`);
  return s;
}
function ipv4(v: unknown, key: string): string | undefined {
  const s = host(v, key);
  if (s !== undefined && isIP(s) !== 4) throw new ConfigError(key, `expected an IPv4 address, got ${JSON.stringify(v)}`);
  return s;
}
function hostPort(v: unknown, key: string): HostPort {
  if (typeof v === 'string') {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(v.trim());
    if (!m) throw new ConfigError(key, `expected host:port, got ${JSON.stringify(v)}`);
    return { host: m[1]!, port: int(m[2], key, 1, 65535)! };
  }
  if (!isObj(v)) throw new ConfigError(key, `expected {host, port} or "host:port", got ${JSON.stringify(v)}`);
  checkKeys(v, ['host', 'port'], `${key}.`);
  const h = host(v.host, `${key}.host`);
  if (!h) throw new ConfigError(`${key}.host`, 'missing');
  const p = int(v.port, `${key}.port`, 1, 65535);
  if (p === undefined) throw new ConfigError(`${key}.port`, 'missing');
  return { host: h, port: p };
}

const TOP_KEYS = [
  'dataDir', 'name', 'role', 'listen', 'lan', 'seeds', 'insecure', 'keylogFile', 'mesh', 'logger', 'transport', 'persist',
  'broadcastMode', 'expectedPeerId', 'seedTtlMs', 'limits',
  // Aliases of the original design.
  'ipv4', 'port', 'mask', 'peerid',
];
const LIMIT_KEYS = [
  'broadcastsPerSecond', 'broadcastBurst', 'penaltyMs', 'unprovenDialsPerSecond', 'maxUnprovenPeers', 'seedRegistrationsPerAddress',
  'persistConcurrency', 'persistQueuePerSender',
];
const LAN_KEYS = ['enabled', 'interface', 'mask', 'port', 'multicastGroup', 'intervalMs'];
const MESH_KEYS = [
  'maxConnections', 'targetDegree', 'maxInbound', 'maxPendingHandshakes', 'handshakeTimeoutMs', 'pingIntervalMs',
  'maxMissedPings', 'framesPerSecond', 'frameBurst', 'maxQueueBytes', 'seedPeerLimit',
];

/**
 * Validates a raw configuration (a parsed config file, command-line options, or a NodeConfig) and fills in
 * defaults. Accepts the original design's keys as aliases: `ipv4` (listen and discovery address), `port` (listen
 * port), `mask` (discovery netmask) and `peerid` (the peer ID the key must hash to; any other value is taken as
 * the name). Throws ConfigError naming the key for unknown keys and bad values.
 */
export function normalizeConfig(raw: unknown): ResolvedNodeConfig {
  if (!isObj(raw)) throw new ConfigError('(root)', 'expected an object');
  checkKeys(raw, TOP_KEYS, '');
  const dataDir = str(raw.dataDir, 'dataDir');
  if (!dataDir) throw new ConfigError('dataDir', 'missing: the directory that holds the identity');
  const role = str(raw.role, 'role') ?? 'peer';
  if (!['peer', 'seed', 'server'].includes(role)) throw new ConfigError('role', `expected peer, seed or server, got ${JSON.stringify(role)}`);

  const aliasIpv4 = ipv4(raw.ipv4, 'ipv4');
  const aliasPort = int(raw.port, 'port', 0, 65535);
  const aliasMask = str(raw.mask, 'mask');
  if (aliasMask !== undefined && parseMask(aliasMask) === undefined) throw new ConfigError('mask', `not a network mask: ${JSON.stringify(aliasMask)}`);
  let name = str(raw.name, 'name');
  let expectedPeerId = str(raw.expectedPeerId, 'expectedPeerId');
  if (expectedPeerId !== undefined && !isPeerIdString(expectedPeerId)) throw new ConfigError('expectedPeerId', 'not a peer ID');
  if (raw.peerid !== undefined && raw.peerid !== null) {
    const p = String(raw.peerid).trim();
    if (isPeerIdString(p.toLowerCase())) expectedPeerId = p.toLowerCase();
    else if (!name && p) name = p;
  }
  if (name !== undefined) {
    const problem = nameProblem(name);
    if (problem) throw new ConfigError('name', `${JSON.stringify(name)} is ${problem} (peers refuse such a name at Hello)`);
  }

  let listen: HostPort = { host: aliasIpv4 ?? '0.0.0.0', port: aliasPort ?? DEFAULT_LISTEN_PORT };
  if (raw.listen !== undefined) {
    if (!isObj(raw.listen)) throw new ConfigError('listen', 'expected {host, port}');
    checkKeys(raw.listen, ['host', 'port'], 'listen.');
    listen = { host: host(raw.listen.host, 'listen.host') ?? listen.host, port: int(raw.listen.port, 'listen.port', 0, 65535) ?? listen.port };
  }

  const lanRaw = raw.lan ?? {};
  if (!isObj(lanRaw)) throw new ConfigError('lan', 'expected an object');
  checkKeys(lanRaw, LAN_KEYS, 'lan.');
  const lanMask = str(lanRaw.mask, 'lan.mask') ?? aliasMask;
  if (lanMask !== undefined && parseMask(lanMask) === undefined) throw new ConfigError('lan.mask', `not a network mask: ${JSON.stringify(lanMask)}`);
  const group = str(lanRaw.multicastGroup, 'lan.multicastGroup') ?? DEFAULT_MULTICAST_GROUP;
  if (group && !/^(22[4-9]|23\d)\./.test(group)) throw new ConfigError('lan.multicastGroup', `not an IPv4 multicast address: ${group}`);
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
  const lan = {
    enabled: bool(lanRaw.enabled, 'lan.enabled') ?? true,
    interface: ipv4(lanRaw.interface, 'lan.interface') ?? aliasIpv4 ?? (wildcard || isIP(listen.host) !== 4 ? undefined : listen.host),
    mask: lanMask,
    port: int(lanRaw.port, 'lan.port', 1, 65535) ?? DEFAULT_LAN_PORT,
    multicastGroup: group,
    intervalMs: int(lanRaw.intervalMs, 'lan.intervalMs', 100, 3_600_000) ?? 5000,
  };

  if (raw.seeds !== undefined && !Array.isArray(raw.seeds)) throw new ConfigError('seeds', 'expected a list of host:port');
  const seeds = ((raw.seeds as unknown[] | undefined) ?? []).map((s, i) => hostPort(s, `seeds[${i}]`));

  const meshRaw = raw.mesh ?? {};
  if (!isObj(meshRaw)) throw new ConfigError('mesh', 'expected an object');
  checkKeys(meshRaw, MESH_KEYS, 'mesh.');
  const maxConnections = int(meshRaw.maxConnections, 'mesh.maxConnections', 1, 100_000) ?? 50;
  const targetDegree = int(meshRaw.targetDegree, 'mesh.targetDegree', 1, maxConnections) ?? Math.min(8, maxConnections);
  const mesh = {
    maxConnections,
    targetDegree,
    maxInbound: int(meshRaw.maxInbound, 'mesh.maxInbound', 0, maxConnections) ?? Math.max(1, Math.floor((maxConnections * 3) / 4)),
    maxPendingHandshakes: int(meshRaw.maxPendingHandshakes, 'mesh.maxPendingHandshakes', 1, 100_000) ?? 16,
    handshakeTimeoutMs: int(meshRaw.handshakeTimeoutMs, 'mesh.handshakeTimeoutMs', 50, 600_000) ?? 5000,
    pingIntervalMs: int(meshRaw.pingIntervalMs, 'mesh.pingIntervalMs', 10, 600_000) ?? 750,
    maxMissedPings: int(meshRaw.maxMissedPings, 'mesh.maxMissedPings', 1, 1000) ?? 3,
    framesPerSecond: int(meshRaw.framesPerSecond, 'mesh.framesPerSecond', 1, 10_000_000) ?? 2000,
    frameBurst: int(meshRaw.frameBurst, 'mesh.frameBurst', 1, 10_000_000) ?? 4000,
    maxQueueBytes: int(meshRaw.maxQueueBytes, 'mesh.maxQueueBytes', 1024, 2 ** 31) ?? 8 * 1024 * 1024,
    seedPeerLimit: int(meshRaw.seedPeerLimit, 'mesh.seedPeerLimit', 1, 10_000) ?? 50,
  };

  const limitsRaw = raw.limits ?? {};
  if (!isObj(limitsRaw)) throw new ConfigError('limits', 'expected an object');
  checkKeys(limitsRaw, LIMIT_KEYS, 'limits.');
  const limits = {
    broadcastsPerSecond: int(limitsRaw.broadcastsPerSecond, 'limits.broadcastsPerSecond', 1, 1_000_000) ?? 50,
    broadcastBurst: int(limitsRaw.broadcastBurst, 'limits.broadcastBurst', 1, 10_000_000) ?? 300,
    penaltyMs: int(limitsRaw.penaltyMs, 'limits.penaltyMs', 0, 86_400_000) ?? 60_000,
    unprovenDialsPerSecond: int(limitsRaw.unprovenDialsPerSecond, 'limits.unprovenDialsPerSecond', 1, 10_000) ?? 2,
    maxUnprovenPeers: int(limitsRaw.maxUnprovenPeers, 'limits.maxUnprovenPeers', 1, 100_000) ?? 256,
    seedRegistrationsPerAddress: int(limitsRaw.seedRegistrationsPerAddress, 'limits.seedRegistrationsPerAddress', 1, 100_000) ?? 16,
    persistConcurrency: int(limitsRaw.persistConcurrency, 'limits.persistConcurrency', 1, 10_000) ?? 32,
    persistQueuePerSender: int(limitsRaw.persistQueuePerSender, 'limits.persistQueuePerSender', 1, 1_000_000) ?? 256,
  };

  const broadcastMode = str(raw.broadcastMode, 'broadcastMode') ?? 'plumtree';
  if (broadcastMode !== 'plumtree' && broadcastMode !== 'flood') throw new ConfigError('broadcastMode', `expected plumtree or flood, got ${broadcastMode}`);
  const logger = raw.logger;
  if (logger !== undefined && (!isObj(logger) || typeof logger.warn !== 'function')) throw new ConfigError('logger', 'expected a pino-like logger');
  if (raw.transport !== undefined && typeof raw.transport !== 'function') throw new ConfigError('transport', 'expected a transport factory');
  if (raw.persist !== undefined && typeof raw.persist !== 'function') throw new ConfigError('persist', 'expected a function returning a promise');

  return {
    dataDir, name, role: role as NodeRole, listen, lan, seeds,
    insecure: bool(raw.insecure, 'insecure') ?? false,
    keylogFile: str(raw.keylogFile, 'keylogFile'),
    mesh, logger: logger as Logger | undefined, transport: raw.transport as TransportFactory | undefined,
    persist: raw.persist as ResolvedNodeConfig['persist'], broadcastMode, expectedPeerId,
    seedTtlMs: int(raw.seedTtlMs, 'seedTtlMs', 1000, 86_400_000) ?? 30_000,
    limits,
  };
}
