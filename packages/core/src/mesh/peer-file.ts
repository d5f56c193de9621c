import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PeerFileError } from '../errors.js';
import type { NodeRole } from '../identity/node-role.js';
import { isPeerIdString, type PeerIdString } from '../identity/peer-id.js';
import type { HostPort } from '../transport/host-port.js';
import type { PeerRecord } from './peer-book.js';

/** File name of the stored peer book inside dataDir. */
export const PEER_FILE = 'peers.json';

/** Most peers written to the file: the most recently seen ones. */
export const MAX_STORED_PEERS = 500;

/** Largest peer file read; a bigger one is ignored (500 entries take about 100 KiB). */
export const MAX_PEER_FILE_BYTES = 1024 * 1024;

/** One peer as stored: what is needed to dial it again, and nothing that would claim it was proven. */
export interface StoredPeer {
  /** The peer's ID. */
  peerId: PeerIdString;
  /** Its name as last heard. */
  name: string;
  /** Where it was last reached or vouched for by a session. */
  address: HostPort;
  /** Its role. */
  role: NodeRole;
  /** Date.now() when last heard of. */
  lastSeenAt: number;
}

const ROLES: readonly NodeRole[] = ['peer', 'seed', 'server'];

/**
 * The file's text for a book: addresses an authenticated session vouched for, and stored ones no dial of this run
 * has disproven yet (never what only an announcement claimed), the `max` most recently seen first.
 */
export function encodePeerFile(records: Iterable<PeerRecord>, max = MAX_STORED_PEERS): string {
  const peers = [...records].filter((r) => (r.verified || r.source === 'stored') && r.address.port > 0)
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt).slice(0, max)
    .map((r) => ({ peerId: r.peerId, name: r.name, host: r.address.host, port: r.address.port, role: r.role, lastSeenAt: r.lastSeenAt }));
  return `${JSON.stringify({ version: 1, peers }, null, 1)}\n`;
}

/** Parses the file's text; entries that are not well formed are skipped, at most `max` are kept. */
export function decodePeerFile(text: string, max = MAX_STORED_PEERS): StoredPeer[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PeerFileError(`not JSON: ${(err as Error).message}`, { cause: err });
  }
  const peers = (doc as { version?: unknown; peers?: unknown } | null)?.peers;
  if ((doc as { version?: unknown } | null)?.version !== 1 || !Array.isArray(peers)) {
    throw new PeerFileError('expected {"version": 1, "peers": [...]}');
  }
  const out: StoredPeer[] = [];
  for (const p of peers as unknown[]) {
    if (out.length >= max) break;
    const e = p as Record<string, unknown> | null;
    if (!e || typeof e !== 'object') continue;
    const { peerId, name, host, port, role, lastSeenAt } = e;
    if (typeof peerId !== 'string' || !isPeerIdString(peerId)) continue;
    if (typeof host !== 'string' || host.length === 0 || host.length > 255) continue;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) continue;
    out.push({
      peerId, address: { host, port },
      name: typeof name === 'string' ? name.slice(0, 256) : '',
      role: ROLES.includes(role as NodeRole) ? role as NodeRole : 'peer',
      lastSeenAt: typeof lastSeenAt === 'number' && Number.isFinite(lastSeenAt) ? lastSeenAt : 0,
    });
  }
  return out;
}

/** Reads and parses the peer file; no file is an empty book, a file over `maxBytes` a PeerFileError. */
export async function readPeerFile(path: string, maxBytes = MAX_PEER_FILE_BYTES): Promise<StoredPeer[]> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new PeerFileError(`cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new PeerFileError(`${path} is not a regular file`);
    if (st.size > maxBytes) throw new PeerFileError(`${path} has ${st.size} bytes, more than the ${maxBytes} read`);
    // Read at most maxBytes + 1 even if the file grew since stat: the bound holds whatever the file does.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead > maxBytes) throw new PeerFileError(`${path} is larger than the ${maxBytes} bytes read`);
    return decodePeerFile(buf.subarray(0, bytesRead).toString('utf8'));
  } catch (err) {
    if (err instanceof PeerFileError) throw err;
    throw new PeerFileError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * Writes the file so that a crash leaves either the old or the new one whole: a temporary file (mode 0600),
 * fsync'd, renamed over the old one, and the directory fsync'd so the rename itself survives a power cut.
 */
export async function writePeerFile(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close().catch(() => undefined);
}
