import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import { ConfigError as CoreConfigError, normalizeConfig } from '@p2p/core';
import { DataDirError, InvalidConfigValueError, NodeConfigRejectedError } from '../errors.js';
import { toNodeConfig } from './node-config.js';
import type { DaemonConfig } from './options.js';

async function nearestExisting(path: string): Promise<string> {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      await stat(dir);
      return dir;
    } catch {
      if (dirname(dir) === dir) return dir;
    }
  }
}

/**
 * Makes sure the data directory exists (created with mode 0700 unless `dryRun`) and is a directory this
 * process can read, write and enter; with `dryRun`, only checks that it could be created.
 */
export async function prepareDataDir(path: string, dryRun = false): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new DataDirError(path, (err as Error).message);
    if (dryRun) {
      const parent = await nearestExisting(dirname(path));
      try {
        await access(parent, constants.W_OK | constants.X_OK);
      } catch {
        throw new DataDirError(path, `cannot be created: ${parent} is not writable`);
      }
      return;
    }
    try {
      await mkdir(path, { recursive: true, mode: 0o700 });
    } catch (mkdirErr) {
      throw new DataDirError(path, `cannot be created (${(mkdirErr as NodeJS.ErrnoException).code ?? (mkdirErr as Error).message})`);
    }
    return;
  }
  if (!info.isDirectory()) throw new DataDirError(path, 'is not a directory');
  try {
    await access(path, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    throw new DataDirError(path, 'is not readable and writable by this user');
  }
}

/** Refuses an --interface address that no local interface has (discovery could not bind to it). */
export function checkInterface(config: DaemonConfig): void {
  if (!config.interface) return;
  const local = Object.values(networkInterfaces()).flatMap((list) => list ?? []).map((i) => i.address);
  if (!local.includes(config.interface)) {
    throw new InvalidConfigValueError('--interface', `no local interface has the address ${config.interface}`);
  }
}

/** Runs core's own validation of the node configuration the daemon would pass to createNode. */
export function checkNodeConfig(config: DaemonConfig): void {
  try {
    normalizeConfig(toNodeConfig(config, { debug() {}, info() {}, warn() {}, error() {} }));
  } catch (err) {
    if (err instanceof CoreConfigError) throw new NodeConfigRejectedError(err.message);
    throw err;
  }
}

/** Every check p2pd runs before starting (and all that --check-config runs). */
export async function checkConfig(config: DaemonConfig, dryRun = false): Promise<void> {
  checkNodeConfig(config);
  checkInterface(config);
  await prepareDataDir(config.dataDir, dryRun);
}
