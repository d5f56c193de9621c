import type { PeerEntryProperties } from '../codec/index.js';
import { ControlConnectionError } from '../errors/index.js';
import type { ControlClient } from './control-client.js';

/** One peer table row, every field present, as `p2p-cli peers --json` prints it. */
export interface PeerRow {
  /** Peer ID in text form. */
  peerId: string;
  /** The peer's name. */
  name: string;
  /** Address as host:port. */
  address: string;
  /** connected, known or dead. */
  state: string;
  /** Last round-trip time in ms, null when never measured. */
  rttMs: number | null;
}

function toRow(p: PeerEntryProperties): PeerRow {
  return {
    peerId: p.peerId ?? '', name: p.name ?? '', address: p.address ?? '', state: p.state ?? '',
    rttMs: p.rttMs === undefined || p.rttMs === null || p.rttMs < 0 ? null : p.rttMs,
  };
}

/**
 * The daemon's whole peer table: a large one arrives as several replies (each within the frame limit), which
 * this gathers. Memory is the caller's choice: 10,000 rows are about 2 MB.
 */
export async function fetchPeerTable(client: ControlClient): Promise<PeerRow[]> {
  const rows: PeerRow[] = [];
  let complete = false;
  await client.stream({ peers: {} }, (response) => {
    for (const p of response.peers?.peers ?? []) rows.push(toRow(p));
    if (response.peers?.more) return undefined;
    complete = true;
    return 'done';
  });
  if (!complete) throw new ControlConnectionError(`the daemon closed the connection after ${rows.length} peers`);
  return rows;
}
