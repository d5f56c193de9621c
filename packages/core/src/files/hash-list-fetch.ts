import type { p2p } from '../codec/wire.js';
import { blockCount, computeRoot, toHex } from './block-layout.js';
import { HASHES_PER_PAGE } from './block-server.js';
import { HashListMismatchError, TransferFailedError } from './errors.js';

/** What fetching a hash list needs from its download. */
export interface HashListContext {
  /** Sends a request to the holder; false when there is no session. */
  send(req: p2p.v1.IHashListRequest): boolean;
  /** Waits for the next HashList or TransferError from that holder for this transfer (undefined on timeout). */
  next(timeoutMs: number): Promise<p2p.v1.IEnvelope | undefined>;
}

/** The expected layout of the file, from the (signed) search answer. */
export interface ExpectedLayout {
  root: string;
  size: number;
  blockSize: number;
}

/**
 * Fetches a file's whole block-hash list from one holder, page by page, and checks it against the root before
 * anything else: a holder that sends a list not matching the root is lying (HashListMismatchError).
 */
export async function fetchHashList(peerId: string, transferId: Uint8Array, want: ExpectedLayout, ctx: HashListContext, timeoutMs = 10_000): Promise<Uint8Array> {
  const total = blockCount(want.size, want.blockSize);
  const out = new Uint8Array(total * 32);
  const root = new Uint8Array(Buffer.from(want.root, 'hex'));
  let have = 0;
  while (have < total || total === 0) {
    if (!ctx.send({ transferId, root, first: have, count: HASHES_PER_PAGE })) throw new TransferFailedError(`no session with ${peerId}`);
    const env = await ctx.next(timeoutMs);
    if (!env) throw new TransferFailedError(`no hash list from ${peerId} in time`);
    if (env.transferError) throw new TransferFailedError(`${peerId}: ${env.transferError.detail ?? 'refused'}`);
    const h = env.hashList!;
    const hashes = h.hashes ?? new Uint8Array();
    if (Number(h.size) !== want.size || h.blockSize !== want.blockSize || h.total !== total || h.first !== have
      || hashes.length % 32 !== 0 || hashes.length === 0 && total > 0 || have + hashes.length / 32 > total) {
      throw new HashListMismatchError(peerId);
    }
    out.set(hashes, have * 32);
    have += hashes.length / 32;
    if (total === 0) break;
  }
  if (toHex(computeRoot(want.size, want.blockSize, out)) !== want.root) throw new HashListMismatchError(peerId);
  return out;
}
