import type { HostPort } from '@p2p/core';
import { parseSeconds, parseSocketMode } from '../control-option-values.js';
import {
  parseAddress, parseBoolean, parseCount, parsePeerId, parseHostPort, parseLogLevel, parseMask, parsePort, parseRole, parseString,
  type DaemonRole, type LogLevel,
} from './parse-values.js';
import { parseByteSize, parseRate } from './parse-sizes.js';

/** The daemon's effective configuration, after merging the config file, P2P_* variables and flags. */
export interface DaemonConfig {
  /** Directory holding the identity, peer book and inbox. */
  dataDir: string;
  /** The node's name (core defaults it to the host name). */
  name?: string;
  /** What the node does for the network. */
  role: DaemonRole;
  /** Address sessions are accepted on (core defaults it to 0.0.0.0:7070). */
  listen?: HostPort;
  /** LAN discovery on or off. */
  lan: boolean;
  /** Interface address discovery binds to and announces. */
  interface?: string;
  /** Network mask of that interface, dotted. */
  mask?: string;
  /** UDP port of LAN discovery. */
  discoveryPort?: number;
  /** Seed nodes to register with. */
  seeds: HostPort[];
  /** Plaintext sessions (labs only). */
  insecure: boolean;
  /** File TLS secrets are appended to (NSS key log format). */
  keylog?: string;
  /** pino log level. */
  logLevel: LogLevel;
  /** Address of the Prometheus metrics endpoint, if any. */
  metrics?: HostPort;
  /** The node refuses to start unless its key hashes to this peer ID (config file key `peerid`). */
  expectedPeerId?: string;
  /** Control socket path (default: in the runtime directory, see @p2p/control's daemonSocketPath). */
  socket?: string;
  /** Mode of the control socket: 0o600 (default) or 0o660 (the daemon's group may use it too). */
  socketMode?: number;
  /** Seconds a control client may stay idle before it is disconnected (default 60). */
  controlIdleTimeout?: number;
  /** Directories shared with the network (recursively), besides those shared with `p2p-cli share`. */
  shares?: string[];
  /** Where downloaded files land (default: downloads/ in the data directory). */
  downloads?: string;
  /** Bytes the inbox file may hold at most (default 256 MiB). */
  inboxQuota?: number;
  /** Bytes one author may hold in the inbox at most (default a quarter of the quota). */
  inboxSenderShare?: number;
  /** Messages per second one author may add to the inbox, sustained (default 20; bursts of 10 s worth). */
  inboxSenderRate?: number;
  /** Sustained new broadcasts per second accepted from one origin (core's limits.broadcastsPerSecond). */
  broadcastRate?: number;
  /** New broadcasts one origin may send in a burst (core's limits.broadcastBurst). */
  broadcastBurst?: number;
  /** Seconds a flooding neighbour stays disconnected and refused (core's limits.penaltyMs / 1000). */
  penaltySeconds?: number;
  /** Role server: clique servers to join (their session addresses). */
  clique: HostPort[];
  /** Role server: the only servers allowed in the clique (empty: open). */
  cliqueAllow: string[];
  /** Role server: where clique clients connect (default: the listen host, port 7072). */
  cliqueListen?: HostPort;
  /** Role server: clients attached at once. */
  cliqueMaxClients?: number;
  /** Role server: lines per second a client may send before it is cut off. */
  cliqueLineRate?: number;
}

/** The keys of DaemonConfig an option can set. */
export type ConfigKey = keyof DaemonConfig;

/** How one option is spelled in each source and how its value is checked. */
export interface OptionSpec {
  /** Key of DaemonConfig (and the camelCase key in a JSON config file). */
  key: ConfigKey;
  /** Command-line flag, without the dashes (also accepted as a key of the JSON file). */
  flag: string;
  /** Environment variable. */
  env: string;
  /** Parser used by yargs to type the flag. */
  type: 'string' | 'boolean';
  /** Help text. */
  describe: string;
  /** Placeholder shown in --help. */
  placeholder?: string;
  /** The option takes several values (repeatable flag, JSON array, comma-separated variable). */
  multiple?: boolean;
  /** A path, resolved against the working directory (flags, variables) or the config file's directory. */
  path?: boolean;
  /** Checks and converts one value; `option` names the source for the error message. */
  parse: (option: string, value: unknown) => unknown;
}

/** Every option of p2pd, in --help order. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'dataDir', flag: 'data-dir', env: 'P2P_DATA_DIR', type: 'string', placeholder: 'DIR', path: true, parse: parseString,
    describe: 'identity, peer book and inbox (default: $XDG_DATA_HOME/p2p or ~/.local/share/p2p)' },
  { key: 'name', flag: 'name', env: 'P2P_NAME', type: 'string', placeholder: 'NAME', parse: parseString,
    describe: 'name shown to other peers (default: host name)' },
  { key: 'listen', flag: 'listen', env: 'P2P_LISTEN', type: 'string', placeholder: 'HOST:PORT', parse: parseHostPort,
    describe: 'address to accept sessions on (default: 0.0.0.0:7070; port 0 picks a free one)' },
  { key: 'lan', flag: 'lan', env: 'P2P_LAN', type: 'boolean', parse: parseBoolean,
    describe: 'discover peers on the LAN (--no-lan to turn off; default: on)' },
  { key: 'interface', flag: 'interface', env: 'P2P_INTERFACE', type: 'string', placeholder: 'ADDR', parse: parseAddress,
    describe: 'address of the interface LAN discovery binds to and announces (default: the listen host)' },
  { key: 'mask', flag: 'mask', env: 'P2P_MASK', type: 'string', placeholder: 'MASK', parse: parseMask,
    describe: 'network mask of that interface, e.g. 255.255.255.0 or 24 (for the subnet broadcast address)' },
  { key: 'discoveryPort', flag: 'discovery-port', env: 'P2P_DISCOVERY_PORT', type: 'string', placeholder: 'N',
    parse: (o, v) => parsePort(o, v, false), describe: 'UDP port of LAN discovery (default: 7071)' },
  { key: 'seeds', flag: 'seed', env: 'P2P_SEEDS', type: 'string', placeholder: 'HOST:PORT', multiple: true, parse: (o, v) => parseHostPort(o, v, false),
    describe: 'seed node to register with and ask for peers (repeatable; P2P_SEEDS is comma-separated)' },
  { key: 'role', flag: 'role', env: 'P2P_ROLE', type: 'string', placeholder: 'peer|seed|server', parse: parseRole,
    describe: 'what this node does for the network: peer, seed, or server (a clique server; default: peer)' },
  { key: 'clique', flag: 'clique', env: 'P2P_CLIQUE', type: 'string', placeholder: 'HOST:PORT', multiple: true, parse: (o, v) => parseHostPort(o, v, false),
    describe: 'role server: a clique server to join (its --listen address; repeatable); the others are learned from it' },
  { key: 'cliqueAllow', flag: 'clique-allow', env: 'P2P_CLIQUE_ALLOW', type: 'string', placeholder: 'PEER_ID', multiple: true, parse: parsePeerId,
    describe: 'role server: only these servers may join the clique (repeatable; none: open, with a warning)' },
  { key: 'cliqueListen', flag: 'clique-listen', env: 'P2P_CLIQUE_LISTEN', type: 'string', placeholder: 'HOST:PORT', parse: parseHostPort,
    describe: 'role server: address clique clients connect to (default: the listen host, port 7072)' },
  { key: 'cliqueMaxClients', flag: 'clique-max-clients', env: 'P2P_CLIQUE_MAX_CLIENTS', type: 'string', placeholder: 'N', parse: (o, v) => parseCount(o, v, 1, 1_000_000),
    describe: 'role server: clients attached at once (default: 1000)' },
  { key: 'cliqueLineRate', flag: 'clique-line-rate', env: 'P2P_CLIQUE_LINE_RATE', type: 'string', placeholder: 'N', parse: (o, v) => parseCount(o, v, 1, 1_000_000),
    describe: 'role server: lines (or other requests) per second a client may send; a client that keeps going beyond is cut off (default: 50)' },
  { key: 'insecure', flag: 'insecure', env: 'P2P_INSECURE', type: 'boolean', parse: parseBoolean,
    describe: 'plaintext sessions without TLS or authentication (labs only)' },
  { key: 'keylog', flag: 'keylog', env: 'P2P_KEYLOG', type: 'string', placeholder: 'FILE', path: true, parse: parseString,
    describe: 'append TLS secrets to FILE (NSS key log format) to decrypt captures' },
  { key: 'logLevel', flag: 'log-level', env: 'P2P_LOG_LEVEL', type: 'string', placeholder: 'LEVEL', parse: parseLogLevel,
    describe: 'fatal, error, warn, info, debug, trace or silent (default: info)' },
  { key: 'broadcastRate', flag: 'broadcast-rate', env: 'P2P_BROADCAST_RATE', type: 'string', placeholder: 'N',
    parse: (o, v) => parseCount(o, v, 1, 1_000_000), describe: 'broadcasts per second accepted from one origin; the excess is dropped (default: 50)' },
  { key: 'broadcastBurst', flag: 'broadcast-burst', env: 'P2P_BROADCAST_BURST', type: 'string', placeholder: 'N',
    parse: (o, v) => parseCount(o, v, 1, 10_000_000), describe: 'broadcasts one origin may send in a burst (default: 300)' },
  { key: 'penaltySeconds', flag: 'penalty-seconds', env: 'P2P_PENALTY_SECONDS', type: 'string', placeholder: 'N',
    parse: (o, v) => parseCount(o, v, 0, 86_400), describe: 'seconds a neighbour that keeps flooding stays disconnected (default: 60)' },
  { key: 'metrics', flag: 'metrics', env: 'P2P_METRICS', type: 'string', placeholder: 'HOST:PORT', parse: parseHostPort,
    describe: 'serve Prometheus metrics on http://HOST:PORT/metrics' },
  { key: 'socket', flag: 'socket', env: 'P2P_SOCKET', type: 'string', placeholder: 'PATH', path: true, parse: parseString,
    describe: 'control socket (default: $XDG_RUNTIME_DIR/p2p/p2pd.sock, /run/p2p/p2pd.sock as a service, else in the data directory)' },
  { key: 'socketMode', flag: 'socket-mode', env: 'P2P_SOCKET_MODE', type: 'string', placeholder: '600|660', parse: parseSocketMode,
    describe: 'who may use the control socket: 600 only this user (default), 660 this user\'s group too' },
  { key: 'controlIdleTimeout', flag: 'control-idle-timeout', env: 'P2P_CONTROL_IDLE_TIMEOUT', type: 'string', placeholder: 'SECONDS',
    parse: parseSeconds, describe: 'disconnect control clients idle this long (default: 60)' },
  { key: 'shares', flag: 'share', env: 'P2P_SHARES', type: 'string', placeholder: 'DIR', multiple: true, path: true, parse: parseString,
    describe: 'share the regular files under DIR, recursively (repeatable; P2P_SHARES is comma-separated)' },
  { key: 'downloads', flag: 'downloads', env: 'P2P_DOWNLOADS', type: 'string', placeholder: 'DIR', path: true, parse: parseString,
    describe: 'where downloaded files land (default: downloads/ in the data directory)' },
  { key: 'inboxQuota', flag: 'inbox-quota', env: 'P2P_INBOX_QUOTA', type: 'string', placeholder: 'SIZE', parse: parseByteSize,
    describe: 'most bytes the inbox keeps; beyond, senders are told "not delivered: inbox full" (default: 256MiB)' },
  { key: 'inboxSenderShare', flag: 'inbox-sender-share', env: 'P2P_INBOX_SENDER_SHARE', type: 'string', placeholder: 'SIZE', parse: parseByteSize,
    describe: 'most bytes one sender may hold in the inbox (default: a quarter of --inbox-quota)' },
  { key: 'inboxSenderRate', flag: 'inbox-sender-rate', env: 'P2P_INBOX_SENDER_RATE', type: 'string', placeholder: 'N', parse: parseRate,
    describe: 'messages per second one sender may add to the inbox, bursts of 10 s worth (default: 20)' },
];

/** Environment variable naming the JSON config file (same as --config). */
export const CONFIG_ENV = 'P2P_CONFIG';
