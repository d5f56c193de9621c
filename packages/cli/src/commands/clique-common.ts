import { join, resolve } from 'node:path';
import { defaultDataDir } from '@p2p/control';
import {
  checkName, createCliqueClient, generateIdentity, loadOrCreateIdentity, type CliqueClient, type HostPort, type NodeIdentity,
} from '@p2p/core';
import type { Argv } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { UsageError } from '../errors.js';

/** Options of every clique command. */
export interface CliqueArgs extends GlobalArgs {
  /** Servers' client addresses. */
  server: string[];
  /** Plaintext, for servers started with --insecure. */
  insecure?: boolean;
}

/** Exit codes of the clique commands (also listed in their --help). */
export const CLIQUE_EXIT_CODES = `Exit codes:
  0  done (send: the line was handed to its recipient)
  1  failed: not delivered (refused, recipient busy: online but not reading, timed out),
     the connection broke, or who found more names than --max-names
  2  bad usage
  3  no clique server reachable
  4  no such client: nobody by that name is online in the clique
  5  name taken: the name, or one that looks like it, is held (or won a simultaneous claim)`;

/** Adds --server and --insecure. */
export function cliqueOptions<T>(y: Argv<T>): Argv<T & { server: string[]; insecure: boolean | undefined }> {
  return y
    .option('server', { type: 'string', array: true, demandOption: true, requiresArg: true, describe: 'a clique server\'s client address, HOST:PORT (repeatable: the others are used when it dies)' })
    .option('insecure', { type: 'boolean', describe: 'plaintext, for servers started with p2pd --insecure' }) as never;
}

/** Parses HOST:PORT (IPv6 in brackets). */
export function parseServer(text: string): HostPort {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text.trim()) ?? /^([^:[\]]+):(\d+)$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--server ${JSON.stringify(text)} is not HOST:PORT`);
  return { host: m[1]!, port };
}

/**
 * The client's identity. With a name (join), it is kept under the data directory, one key per name, so that a
 * client that restarts takes its name back at once; without one (who, send), a fresh key serves once.
 */
export async function clientIdentity(args: GlobalArgs, name?: string): Promise<NodeIdentity> {
  if (name === undefined) return generateIdentity();
  let folded: string;
  try {
    // The folded form, not the look-alike key: the directory of a name must not move when the confusables table does.
    folded = checkName(name).folded;
  } catch {
    throw new UsageError(`--name ${JSON.stringify(name)} is not a valid name (no spaces, control characters, "*" or leading "/"; at most 32 characters)`);
  }
  const dataDir = resolve(args['data-dir'] || process.env.P2P_DATA_DIR || defaultDataDir());
  return loadOrCreateIdentity(join(dataDir, 'clique', Buffer.from(folded).toString('hex')));
}

/** Connects a clique client; core's typed errors (name taken, unreachable) carry the exit codes. */
export async function connectClique(args: CliqueArgs, name: string | undefined, identity: NodeIdentity, reconnect: boolean): Promise<CliqueClient> {
  const servers = args.server.map(parseServer);
  const client = createCliqueClient({ servers, name, identity, insecure: args.insecure === true, reconnect });
  try {
    await client.connect();
  } catch (err) {
    await client.close();
    throw err;
  }
  return client;
}
