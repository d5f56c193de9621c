import { readFileSync, statSync } from 'node:fs';
import { KeyLogError } from '../errors.js';

/** The secrets of one TLS connection, by NSS key log label. */
export type ConnectionSecrets = ReadonlyMap<string, Buffer>;

/** Secrets of TLS connections indexed by client random. */
export interface KeyLog {
  /** The secrets logged for the connection with this client random (hex), if any. */
  lookup(clientRandomHex: string): ConnectionSecrets | undefined;
  /** Number of connections with at least one secret. */
  readonly size: number;
}

/** Parses NSS key log text (`LABEL <client_random hex> <secret hex>` lines; # comments). */
export function parseKeyLog(text: string): Map<string, Map<string, Buffer>> {
  const out = new Map<string, Map<string, Buffer>>();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [label, random, secret] = trimmed.split(/\s+/);
    if (!label || !random || !secret || !/^[0-9a-fA-F]{64}$/.test(random) || !/^[0-9a-fA-F]+$/.test(secret)) continue;
    const key = random.toLowerCase();
    let entry = out.get(key);
    if (!entry) out.set(key, (entry = new Map()));
    entry.set(label, Buffer.from(secret, 'hex'));
  }
  return out;
}

/** A key log held in memory. */
export function createKeyLog(text: string): KeyLog {
  const entries = parseKeyLog(text);
  return { lookup: (r) => entries.get(r.toLowerCase()), get size() { return entries.size; } };
}

/**
 * A key log read from a file, re-read when a lookup misses and the file has grown: a daemon appends secrets as
 * connections open, so following a live capture needs the newest lines.
 */
export function openKeyLogFile(path: string): KeyLog {
  let size = -1;
  let entries = new Map<string, Map<string, Buffer>>();
  const load = (): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch (err) {
      throw new KeyLogError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    if (stat.size === size) return;
    size = stat.size;
    entries = parseKeyLog(readFileSync(path, 'utf8'));
  };
  load();
  return {
    lookup(random) {
      const key = random.toLowerCase();
      if (!entries.has(key)) load();
      return entries.get(key);
    },
    get size() {
      return entries.size;
    },
  };
}
