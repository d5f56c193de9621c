import type { NodeExtensions } from '../node/extensions.js';
import type { P2PNode } from '../node/types.js';

/** The part of a node file sharing uses. */
export type FileNode = Pick<P2PNode, 'peerId' | 'name' | 'listenAddress' | 'peers' | 'on'>
  & Pick<NodeExtensions, 'sendEnvelope' | 'sendBulkFrame' | 'onEnvelope' | 'connect' | 'signer' | 'sendLan' | 'sendLanTo' | 'onLanEnvelope' | 'pendingBytes'>;

/** Bounds of file sharing; every one has a default. */
export interface FileLimits {
  /** Searches accepted per second from one peer or LAN address (burst twice that); default 20. */
  queriesPerSecond: number;
  /** Most answers a holder sends for one query; default 50. */
  resultsPerQuery: number;
  /** Most answers a search collects; default 500. */
  maxSearchResults: number;
  /** Hop limit of a search through the mesh; default 4. */
  maxHops: number;
  /** Block requests a holder serves at once for one peer (more are answered BUSY); default 32. */
  servePerPeer: number;
  /** Bytes queued for one peer beyond which a holder answers BUSY; default 8 MiB. */
  serveQueueBytes: number;
  /** Files a holder keeps open; default 32. */
  openFiles: number;
  /**
   * Most bytes a downloader has requested and not yet received, per source (below a session's 8 MiB queue); default
   * 6 MiB. The window in use is smaller while answers show queueing beyond queueDelayTargetMs.
   */
  inFlightBytesPerSource: number;
  /**
   * Queueing delay a download lets build up in front of a source's answers, ms (chat and pings on the same session
   * wait behind it); the request window grows below it and shrinks above it. Default 8 ms.
   */
  queueDelayTargetMs: number;
  /** Most bytes one block request asks for; default 512 KiB (at least one block). */
  requestBytes: number;
  /** A request unanswered for this long is given to another source; default 15000 ms. */
  requestTimeoutMs: number;
  /** How long a download waits for a lost source to come back before it fails (resumable); default 60000 ms. */
  stallTimeoutMs: number;
  /** Downloads running at once; default 4. */
  maxDownloads: number;
}

/** Default bounds. */
export const DEFAULT_FILE_LIMITS: FileLimits = {
  queriesPerSecond: 20,
  resultsPerQuery: 50,
  maxSearchResults: 500,
  maxHops: 4,
  servePerPeer: 32,
  serveQueueBytes: 8 * 1024 * 1024,
  openFiles: 32,
  inFlightBytesPerSource: 6 * 1024 * 1024,
  queueDelayTargetMs: 8,
  requestBytes: 512 * 1024,
  requestTimeoutMs: 15_000,
  stallTimeoutMs: 60_000,
  maxDownloads: 4,
};

/** One search answer: who has which file. */
export interface SearchHit {
  /** Holder's peer ID (proven by its signature). */
  peerId: string;
  /** Holder's name. */
  name: string;
  /** File name relative to the holder's share. */
  file: string;
  /** Size in bytes. */
  size: number;
  /** Whole-file SHA-256, hex. */
  sha256: string;
  /** Root, hex. */
  root: string;
  /** Block size. */
  blockSize: number;
  /** Where the holder accepts sessions. */
  host: string;
  /** Port. */
  port: number;
  /** Hops the answer travelled (0: straight from the holder). */
  hops: number;
}
