import { v1, type p2p } from '../codec/wire.js';
import type { Logger } from '../util/logger.js';
import { blockCount, blockLength, toHex } from './block-layout.js';
import { allocBlockDataFrame } from './block-data-frame.js';
import { FramePool } from '../framing/frame-pool.js';
import { UnsafePathError } from './errors.js';
import { HandleCache } from './handle-cache.js';
import { resolveInShare } from './path-safety.js';
import type { ShareIndex } from './share-index.js';
import type { SharedFile } from './shared-file.js';
import type { FileLimits, FileNode } from './types.js';

const Code = v1.TransferErrorCode;
/** Most block hashes in one HashList (512 KiB of hashes: well inside a frame). */
export const HASHES_PER_PAGE = 16384;
/** Longest transfer ID a block request may carry (ours are 16 bytes). */
export const MAX_TRANSFER_ID_BYTES = 64;

/** What the holder side needs. */
export interface BlockServerInit {
  /** The node to answer through. */
  node: FileNode;
  /** The shared files. */
  index: ShareIndex;
  /** Bounds. */
  limits: FileLimits;
  /** Logger (refusals are logged). */
  logger: Logger;
  /** Told of every block request accepted (tests count them). */
  onBlockRequest?(peerId: string, rootHex: string, index: number, count: number): void;
}

/** Counters of the holder side. */
export interface BlockServerStats {
  /** Block requests answered with data. */
  served: number;
  /** Bytes of block data sent. */
  bytesServed: number;
  /** Requests refused (unknown file, bad index, busy, unsafe). */
  refused: number;
}

/** Serves hash lists and blocks of shared files to peers, within the per-peer and open-file bounds. */
export interface BlockServer {
  /** Takes HashListRequest and BlockRequest envelopes; false for anything else. */
  handle(from: string, env: p2p.v1.IEnvelope): boolean;
  /** Counters. */
  stats(): BlockServerStats;
  /** Closes open files. */
  close(): Promise<void>;
}

/** A holder that reads only files of its index, through the path-safety resolver, and checks they did not change. */
export function createBlockServer(init: BlockServerInit): BlockServer {
  const { node, index, limits, logger } = init;
  const handles = new HandleCache(limits.openFiles);
  // Room for the frames of about a window of requests, reused as the socket writes them.
  const frames = new FramePool(Math.min(limits.serveQueueBytes, 16 * 1024 * 1024));
  const busy = new Map<string, number>();
  const stats: BlockServerStats = { served: 0, bytesServed: 0, refused: 0 };

  const refuse = (to: string, transferId: Uint8Array | null | undefined, code: number, detail: string, idx = 0): void => {
    stats.refused++;
    node.sendEnvelope(to, { transferError: { transferId, code, detail, index: idx } });
  };

  const lookup = (root?: Uint8Array | null, sha?: Uint8Array | null): SharedFile | undefined => {
    if (root?.length === 32) return index.byRoot(toHex(root));
    if (sha?.length === 32) return index.bySha256(toHex(sha));
    return undefined;
  };

  const onHashList = (from: string, r: p2p.v1.IHashListRequest): void => {
    const f = lookup(r.root);
    if (!f) return refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_NOT_FOUND, 'not shared');
    const total = blockCount(f.size, f.blockSize);
    const first = r.first ?? 0;
    if (first > total) return refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_BAD_INDEX, `first ${first} is past ${total} blocks`);
    const count = Math.min(r.count || HASHES_PER_PAGE, HASHES_PER_PAGE, total - first);
    node.sendEnvelope(from, {
      hashList: {
        transferId: r.transferId, root: f.root, size: f.size, blockSize: f.blockSize, first, total,
        hashes: f.hashes.subarray(first * 32, (first + count) * 32),
      },
    });
  };

  const onBlock = async (from: string, r: p2p.v1.IBlockRequest): Promise<void> => {
    const f = lookup(r.root, r.fileSha256);
    const first = r.index ?? 0;
    if (!f) return refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_NOT_FOUND, 'not shared', first);
    const total = blockCount(f.size, f.blockSize);
    const perRequest = Math.max(1, Math.floor(limits.requestBytes / f.blockSize));
    const count = Math.max(1, r.count ?? 1);
    // Echoed in every answer: ours are 16 bytes, a stranger's may not make the frame outgrow the block.
    if ((r.transferId?.length ?? 0) > MAX_TRANSFER_ID_BYTES) return refuse(from, undefined, Code.TRANSFER_ERROR_CODE_BAD_REQUEST, 'transfer ID too long', first);
    if (r.blockSize && r.blockSize !== f.blockSize) return refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_BAD_REQUEST, 'block size differs', first);
    if (count > Math.max(perRequest, 1) || first + count > total) {
      return refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_BAD_INDEX, `blocks ${first}+${count} outside 0..${total} or too many`, first);
    }
    const inUse = busy.get(from) ?? 0;
    if (inUse >= limits.servePerPeer || node.pendingBytes(from) > limits.serveQueueBytes) {
      return refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_BUSY, 'busy', first);
    }
    busy.set(from, inUse + 1);
    init.onBlockRequest?.(from, f.rootHex, first, count);
    let path: string | undefined;
    try {
      // Resolved again at every open: the index might be stale, and the resolver is the one gate to the disk.
      path = `${f.share}\0${f.name}`;
      const h = await handles.acquire(path, () => resolveInShare(f.share, f.name));
      try {
        if (h.size !== f.size || h.mtimeMs !== f.mtimeMs || h.ino !== f.ino) {
          handles.forget(path);
          void index.rescan();
          return refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_CHANGED, 'file changed on disk', first);
        }
        let len = 0;
        for (let i = first; i < first + count; i++) len += blockLength(f.size, f.blockSize, i);
        // The block is read straight into its frame: one buffer, no copy on the way to the socket.
        const { frame, data } = allocBlockDataFrame(r.transferId ?? new Uint8Array(), first, len, undefined, (n) => frames.take(n));
        let off = 0;
        while (off < len) {
          const { bytesRead } = await h.fh.read(data, off, len - off, first * f.blockSize + off);
          if (bytesRead === 0) break;
          off += bytesRead;
        }
        if (off < len) {
          frames.give(frame);
          return refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_CHANGED, 'file shrank', first);
        }
        if (node.sendBulkFrame(from, frame, () => frames.give(frame))) {
          stats.served++;
          stats.bytesServed += len;
        } else frames.give(frame);
      } finally {
        handles.release(path);
      }
    } catch (err) {
      if (err instanceof UnsafePathError) logger.warn({ peer: from, err: err.message }, 'refused block request');
      refuse(from, r.transferId, Code.TRANSFER_ERROR_CODE_NOT_FOUND, err instanceof UnsafePathError ? err.message : 'cannot read', first);
    } finally {
      const n = (busy.get(from) ?? 1) - 1;
      if (n <= 0) busy.delete(from); else busy.set(from, n);
    }
  };

  return {
    handle(from, env) {
      if (env.hashListRequest) { onHashList(from, env.hashListRequest); return true; }
      if (env.blockRequest) { void onBlock(from, env.blockRequest); return true; }
      return false;
    },
    stats: () => ({ ...stats }),
    close: () => handles.close(),
  };
}
