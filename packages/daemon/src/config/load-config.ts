import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { checkConfigValue, DEFAULT_LISTEN_PORT, Ipv4Schema, isPeerIdString } from '@p2p/core';
import { ConfigFileError, InvalidConfigValueError, UnknownConfigKeyError } from '../errors.js';
import { defaultDataDir } from './default-data-dir.js';
import { parsePort } from './parse-values.js';
import { CONFIG_ENV, OPTION_SPECS, type DaemonConfig, type OptionSpec } from './options.js';

/** Where loadConfig reads from. */
export interface ConfigSources {
  /** Parsed command-line flags keyed by flag name (data-dir, seed, ...); absent keys were not given. */
  flags: Record<string, unknown>;
  /** Environment (P2P_* variables are read). */
  env: NodeJS.ProcessEnv;
  /** Directory relative paths of flags and variables are resolved against. */
  cwd: string;
}

/** The effective configuration and the notes worth logging once a logger exists. */
export interface LoadedConfig {
  /** The merged, checked configuration. */
  config: DaemonConfig;
  /** The config file read, if any. */
  configFile?: string;
  /** Non-fatal remarks (unknown P2P_* variables). */
  warnings: string[];
}

type Partial = Record<string, unknown>;

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function parseValue(spec: OptionSpec, option: string, raw: unknown, base: string): unknown {
  const one = (value: unknown): unknown => {
    const parsed = spec.parse(option, value);
    return spec.path ? resolve(base, expandHome(parsed as string)) : parsed;
  };
  if (!spec.multiple) return one(Array.isArray(raw) ? raw[raw.length - 1] : raw);
  // Paths may hold spaces: only commas separate them.
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(spec.path ? /,/ : /[\s,]+/).filter(Boolean) : [raw];
  return list.map(one);
}

async function fromFile(path: string): Promise<Partial> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigFileError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigFileError(path, `not valid JSON (${(err as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ConfigFileError(path, 'not a JSON object');
  const out: Partial = {};
  const aliases: Partial = {};
  for (const [key, raw] of Object.entries(json)) {
    if ((ALIAS_KEYS as readonly string[]).includes(key)) {
      aliases[key] = raw;
      continue;
    }
    // Both the camelCase key and the flag's spelling are accepted.
    const spec = OPTION_SPECS.find((s) => s.key === key || s.flag === key);
    if (!spec) throw new UnknownConfigKeyError(JSON.stringify(key), path);
    out[spec.key] = parseValue(spec, `${key} in ${path}`, raw, dirname(path));
  }
  return Object.keys(aliases).length > 0 ? { ...fromAliases(aliases, path), ...out } : out;
}

/** Keys of the original design's config files, still accepted: `mask` is an ordinary key. */
export const ALIAS_KEYS = ['ipv4', 'port', 'peerid'] as const;

// The original design's keys, handled here only (core knows none of them): ipv4 is the listen and discovery
// address, port the listen port, peerid the peer ID the key must hash to (or, when not a peer ID, the name).
// Explicit keys of the same file win over them.
function fromAliases(aliases: Partial, path: string): Partial {
  const where = (key: string): string => `${key} in ${path}`;
  const out: Partial = {};
  let ipv4: string | undefined;
  if (aliases.ipv4 !== undefined) {
    const r = checkConfigValue(Ipv4Schema, aliases.ipv4);
    if (!r.success) throw new InvalidConfigValueError(where('ipv4'), r.message);
    ipv4 = r.output;
    out.interface = ipv4;
  }
  if (ipv4 !== undefined || aliases.port !== undefined) {
    out.listen = { host: ipv4 ?? '0.0.0.0', port: aliases.port === undefined ? DEFAULT_LISTEN_PORT : parsePort(where('port'), aliases.port) };
  }
  if (aliases.peerid !== undefined && aliases.peerid !== null) {
    const text = String(aliases.peerid).trim();
    if (isPeerIdString(text.toLowerCase())) out.expectedPeerId = text.toLowerCase();
    else if (text) out.name = text;
  }
  return out;
}

function fromEnv(env: NodeJS.ProcessEnv, cwd: string, warnings: string[]): Partial {
  const out: Partial = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('P2P_') || raw === undefined) continue;
    const spec = OPTION_SPECS.find((s) => s.env === name);
    // Variables are shared by every tool of a shell (P2P_DATA_DIR also serves p2p-cli), so an unknown one
    // is worth a warning but not a refusal to start.
    if (!spec) {
      if (name !== CONFIG_ENV) warnings.push(`ignoring unknown environment variable ${name}`);
      continue;
    }
    out[spec.key] = parseValue(spec, name, raw, cwd);
  }
  return out;
}

function fromFlags(flags: Record<string, unknown>, cwd: string): Partial {
  const out: Partial = {};
  for (const spec of OPTION_SPECS) {
    const raw = flags[spec.flag];
    if (raw !== undefined) out[spec.key] = parseValue(spec, `--${spec.flag}`, raw, cwd);
  }
  return out;
}

/**
 * Merges the JSON config file (--config or P2P_CONFIG), the P2P_* variables and the flags, in that order of
 * precedence from lowest to highest, and checks every value. Throws a ConfigError naming the first problem.
 */
export async function loadConfig(sources: ConfigSources): Promise<LoadedConfig> {
  const warnings: string[] = [];
  const fileFlag = sources.flags.config ?? sources.env[CONFIG_ENV];
  const configFile = typeof fileFlag === 'string' && fileFlag !== '' ? resolve(sources.cwd, expandHome(fileFlag)) : undefined;
  const merged: Partial = {
    ...(configFile ? await fromFile(configFile) : {}),
    ...fromEnv(sources.env, sources.cwd, warnings),
    ...fromFlags(sources.flags, sources.cwd),
  };
  const config: DaemonConfig = {
    dataDir: (merged.dataDir as string | undefined) ?? defaultDataDir(sources.env),
    role: (merged.role as DaemonConfig['role'] | undefined) ?? 'peer',
    lan: (merged.lan as boolean | undefined) ?? true,
    seeds: (merged.seeds as DaemonConfig['seeds'] | undefined) ?? [],
    shares: (merged.shares as string[] | undefined) ?? [],
    insecure: (merged.insecure as boolean | undefined) ?? false,
    logLevel: (merged.logLevel as DaemonConfig['logLevel'] | undefined) ?? 'info',
    clique: (merged.clique as DaemonConfig['clique'] | undefined) ?? [],
    cliqueAllow: (merged.cliqueAllow as DaemonConfig['cliqueAllow'] | undefined) ?? [],
  };
  for (const key of [
    'name', 'listen', 'interface', 'mask', 'discoveryPort', 'keylog', 'metrics', 'expectedPeerId', 'socket', 'socketMode', 'controlIdleTimeout',
    'downloads', 'broadcastRate', 'broadcastBurst', 'penaltySeconds',
    'cliqueListen', 'cliqueMaxClients', 'cliqueLineRate',
  ] as const) {
    if (merged[key] !== undefined) (config as unknown as Partial)[key] = merged[key];
  }
  for (const key of ['inboxQuota', 'inboxSenderShare', 'inboxSenderRate'] as const) {
    if (merged[key] !== undefined) (config as unknown as Partial)[key] = merged[key];
  }
  if (config.role !== 'server') {
    const flag = config.clique.length ? '--clique' : config.cliqueAllow.length ? '--clique-allow' : config.cliqueListen ? '--clique-listen'
      : config.cliqueMaxClients ? '--clique-max-clients' : config.cliqueLineRate ? '--clique-line-rate' : undefined;
    if (flag) throw new InvalidConfigValueError(flag, 'clique options need --role server');
  }
  return { config, ...(configFile ? { configFile } : {}), warnings };
}
