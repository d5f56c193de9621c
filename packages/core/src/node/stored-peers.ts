import { join } from 'node:path';
import type { PeerBook } from '../mesh/peer-book.js';
import { createPeerBookSaver, type PeerBookSaver } from '../mesh/peer-book-saver.js';
import { encodePeerFile, PEER_FILE, readPeerFile, writePeerFile, type StoredPeer } from '../mesh/peer-file.js';
import type { NodeShell } from './node-shell.js';
import { warn } from './notify.js';

/**
 * Reads the peers stored by the last run. A missing file is an empty list; a file too large, unreadable or
 * malformed is logged as a warning and ignored (the next save replaces it), never a reason not to start.
 */
export async function loadStoredPeers(shell: Pick<NodeShell, 'config' | 'logger' | 'emitter'>): Promise<StoredPeer[]> {
  try {
    return await readPeerFile(join(shell.config.dataDir, PEER_FILE));
  } catch (err) {
    const e = err as { code?: string; message?: string };
    warn(shell, e.code ?? 'ERR_PEER_FILE', `stored peers ignored: ${e.message ?? String(err)}`);
    return [];
  }
}

/**
 * Puts stored peers in the book as known but unproven: a dial in this run has to prove each address again, so
 * they share the caps of every unproven entry and one failed dial forgets them. The most recently seen are learned
 * last, so if the caps push some out, the oldest go.
 */
export function seedBookFromStore(book: PeerBook, peers: readonly StoredPeer[], maxUnproven: number): void {
  for (const p of peers.slice(0, maxUnproven).reverse()) {
    const learned = book.learn({ peerId: p.peerId, name: p.name, address: p.address, role: p.role }, 'stored', false);
    // Kept as last seen in an earlier run, so a peer gone for good ages out of the file instead of looking fresh.
    if (learned?.isNew) learned.record.lastSeenAt = Math.min(learned.record.lastSeenAt, p.lastSeenAt);
  }
}

/** Creates the saver that writes the book to dataDir (at most every 10 s while it changes, and on stop). */
export function createStoredPeersSaver(shell: Pick<NodeShell, 'config' | 'logger' | 'emitter' | 'clock'>, book: PeerBook): PeerBookSaver {
  const path = join(shell.config.dataDir, PEER_FILE);
  return createPeerBookSaver({
    clock: shell.clock,
    snapshot: () => encodePeerFile(book.all()),
    write: (text) => writePeerFile(path, text),
    onError: (err) => warn(shell, 'ERR_PEER_FILE', `cannot store peers in ${path}: ${(err as Error).message}`),
  });
}
