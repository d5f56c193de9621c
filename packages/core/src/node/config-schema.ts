/**
 * The one configuration schema (valibot) for core and the daemon: value schemas (host, port, host:port, mask, peer
 * ID) and the NodeConfig schema built from them. normalizeConfig validates with it; the daemon parses its flags,
 * variables and file with the same value schemas, so both accept and refuse exactly the same text.
 */
import { isIP } from 'node:net';
import * as v from 'valibot';
import { isPeerIdString } from '../identity/peer-id.js';
import { intToIpv4, parseMask } from '../transport/subnet.js';

const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** True for an IPv4 or IPv6 literal or a DNS host name. */
export function isHost(host: string): boolean {
  return isIP(host) !== 0 || HOST_NAME.test(host);
}

/**
 * A host in `{host, port}` form: an IPv4 or IPv6 literal (bare), a host name, or a custom transport's own address
 * (the in-memory network's `mem:3`); never empty, never with spaces. Text HOST:PORT is stricter (HostPortTextSchema).
 */
export const HostSchema = v.pipe(
  v.string('expected a string'), v.trim(),
  v.check((h) => h !== '' && !/\s/.test(h), (i) => `${JSON.stringify(i.input)} is not an IP address or host name`),
);

/** An IPv4 address literal. */
export const Ipv4Schema = v.pipe(v.string('expected a string'), v.trim(), v.check((s) => isIP(s) === 4, (i) => `expected an IPv4 address, got ${JSON.stringify(i.input)}`));

/** A TCP/UDP port, 0-65535, as a number or digits. */
export const PortSchema = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.trim(), v.regex(/^\d+$/), v.transform(Number))], (i) => `${JSON.stringify(i.input)} is not a port number`),
  v.integer((i) => `${JSON.stringify(i.input)} is not a port number`),
  v.minValue(0, (i) => `${JSON.stringify(i.input)} is not a port number (0-65535)`),
  v.maxValue(65535, (i) => `${JSON.stringify(i.input)} is not a port number (0-65535)`),
);

/** Text HOST:PORT: an IPv4 literal, a bracketed IPv6 literal ([::1]:7070) or a host name; `::1:7070` is refused. */
export const HostPortTextSchema = v.pipe(
  v.string('expected HOST:PORT'),
  v.trim(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const text = dataset.value;
    const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
    const host = m?.[1];
    const bracketed = text.startsWith('[');
    if (!m || !host) {
      addIssue({ message: `${JSON.stringify(text)} is not HOST:PORT` });
      return NEVER;
    }
    if (bracketed ? isIP(host) !== 6 : isIP(host) !== 4 && !HOST_NAME.test(host)) {
      addIssue({ message: `${JSON.stringify(host)} is not an IP address or host name` });
      return NEVER;
    }
    const port = Number(m[2]);
    if (port > 65535) {
      addIssue({ message: `${JSON.stringify(m[2])} is not a port number (0-65535)` });
      return NEVER;
    }
    return { host, port };
  }),
);

/** A host and port, as `{host, port}` or as HOST:PORT text. */
export const HostPortSchema = v.union(
  [HostPortTextSchema, v.strictObject({ host: HostSchema, port: PortSchema })],
  (i) => `expected {host, port} or "HOST:PORT", got ${JSON.stringify(i.input)}`,
);

/** An IPv4 network mask, dotted (255.255.255.0) or a prefix length (24, /24); the output is dotted. */
export const MaskSchema = v.pipe(
  v.union([v.string(), v.number()], 'expected a network mask'),
  v.transform(String),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const bits = parseMask(dataset.value);
    if (bits === undefined) {
      addIssue({ message: `${JSON.stringify(dataset.value)} is not a network mask (contiguous, dotted or a prefix length)` });
      return NEVER;
    }
    return intToIpv4(bits);
  }),
);

/** A peer ID in its one canonical text form. */
export const PeerIdSchema = v.pipe(v.string('expected a peer ID'), v.check(isPeerIdString, 'not a peer ID (52 lowercase base32 characters, canonical)'));

/** An integer within bounds, as a number or digits. */
function int(min: number, max: number) {
  const msg = (i: { input: unknown }): string => `expected an integer from ${min} to ${max}, got ${JSON.stringify(i.input)}`;
  return v.pipe(v.union([v.number(), v.pipe(v.string(), v.trim(), v.regex(/^\d+$/), v.transform(Number))], msg), v.integer(msg), v.minValue(min, msg), v.maxValue(max, msg));
}

const fn = (what: string) => v.custom<(...args: never[]) => unknown>((x) => typeof x === 'function', `expected ${what}`);
const withMethods = (what: string, methods: string[]) =>
  v.custom<object>((x) => typeof x === 'object' && x !== null && methods.every((m) => typeof (x as Record<string, unknown>)[m] === 'function'), `expected ${what}`);

/** The `lan` section of NodeConfig. */
export const LanConfigSchema = v.strictObject({
  enabled: v.optional(v.boolean('expected true or false')),
  interface: v.optional(Ipv4Schema),
  mask: v.optional(MaskSchema),
  port: v.optional(int(1, 65535)),
  multicastGroup: v.optional(v.pipe(v.string(), v.check((g) => g === '' || (isIP(g) === 4 && /^(22[4-9]|23\d)\./.test(g)), (i) => `not an IPv4 multicast address: ${i.input}`))),
  intervalMs: v.optional(int(100, 3_600_000)),
});

/** The `mesh` section of NodeConfig (targetDegree and maxInbound are further bounded by maxConnections). */
export const MeshConfigSchema = v.strictObject({
  maxConnections: v.optional(int(1, 100_000)),
  targetDegree: v.optional(int(1, 100_000)),
  maxInbound: v.optional(int(0, 100_000)),
  maxPendingHandshakes: v.optional(int(1, 100_000)),
  handshakeTimeoutMs: v.optional(int(50, 600_000)),
  pingIntervalMs: v.optional(int(10, 600_000)),
  maxMissedPings: v.optional(int(1, 1000)),
  framesPerSecond: v.optional(int(1, 10_000_000)),
  frameBurst: v.optional(int(1, 10_000_000)),
  maxQueueBytes: v.optional(int(1024, 2 ** 31)),
  seedPeerLimit: v.optional(int(1, 10_000)),
});

/** The `limits` section of NodeConfig (flood and abuse limits). */
export const LimitsConfigSchema = v.strictObject({
  broadcastsPerSecond: v.optional(int(1, 1_000_000)),
  broadcastBurst: v.optional(int(1, 10_000_000)),
  penaltyMs: v.optional(int(0, 86_400_000)),
  unprovenDialsPerSecond: v.optional(int(1, 10_000)),
  maxUnprovenPeers: v.optional(int(1, 100_000)),
  seedRegistrationsPerAddress: v.optional(int(1, 100_000)),
  persistConcurrency: v.optional(int(1, 10_000)),
  persistQueuePerSender: v.optional(int(1, 1_000_000)),
});

/** Everything createNode accepts (NodeConfig), checked; unknown keys are refused. */
export const NodeConfigSchema = v.strictObject({
  dataDir: v.pipe(v.string('missing: the directory that holds the identity'), v.minLength(1, 'missing: the directory that holds the identity')),
  name: v.optional(v.string('expected a string')),
  role: v.optional(v.picklist(['peer', 'seed', 'server'], (i) => `expected peer, seed or server, got ${JSON.stringify(i.input)}`)),
  listen: v.optional(v.strictObject({ host: v.optional(HostSchema), port: v.optional(PortSchema) }, 'expected {host, port}')),
  lan: v.optional(LanConfigSchema, {}),
  seeds: v.optional(v.array(HostPortSchema, 'expected a list of host:port')),
  insecure: v.optional(v.boolean('expected true or false')),
  keylogFile: v.optional(v.string('expected a string')),
  mesh: v.optional(MeshConfigSchema, {}),
  logger: v.optional(withMethods('a pino-like logger', ['debug', 'info', 'warn', 'error'])),
  transport: v.optional(fn('a transport factory')),
  clock: v.optional(withMethods('a Clock (now, setTimeout, clearTimeout)', ['now', 'setTimeout', 'clearTimeout'])),
  persist: v.optional(fn('a function returning a promise')),
  broadcastMode: v.optional(v.picklist(['plumtree', 'flood'], (i) => `expected plumtree or flood, got ${JSON.stringify(i.input)}`)),
  expectedPeerId: v.optional(PeerIdSchema),
  seedTtlMs: v.optional(int(1000, 86_400_000)),
  limits: v.optional(LimitsConfigSchema, {}),
}, 'expected an object');

/** The dotted key of an issue (`mesh.targetDegree`, `seeds[0]`, `(root)`). */
export function issueKey(issue: v.BaseIssue<unknown>): string {
  let key = '';
  for (const item of issue.path ?? []) {
    const k = (item as { key: unknown }).key;
    key += typeof k === 'number' ? `[${k}]` : `${key ? '.' : ''}${String(k)}`;
  }
  return key || '(root)';
}

/** Outcome of checking one value against a schema. */
export type ValueCheck<T> = { success: true; output: T } | { success: false; message: string };

/** Checks one value against one of these schemas: its output, or the first issue's message. */
export function checkConfigValue<S extends v.GenericSchema>(schema: S, value: unknown): ValueCheck<v.InferOutput<S>> {
  const r = v.safeParse(schema, value);
  return r.success ? { success: true, output: r.output } : { success: false, message: r.issues[0].message };
}
