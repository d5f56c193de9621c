import { randomBytes } from 'node:crypto';
import { createSeenCache, type SeenCache } from '../util/seen-cache.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { p2p } from '../codec/wire.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { HostPort } from '../transport/host-port.js';
import type { Logger } from '../util/logger.js';
import { TokenBucket } from '../session/token-bucket.js';
import { blockSizeFor, toHex } from './block-layout.js';
import { signFound, verifyFound } from './found-signature.js';
import { checkRelativeName, MAX_NAME_LENGTH } from './path-safety.js';
import type { ShareIndex } from './share-index.js';
import type { FileLimits, FileNode, SearchHit } from './types.js';

/** Where a search message came from: a session peer or a LAN address. */
export type Via = { peer: string } | { lan: HostPort };

/** Options of a search. */
export interface SearchOptions {
  /** Match the whole name (or its last segment) instead of a case-insensitive substring. */
  exact?: boolean;
  /** Look for this root (hex) instead of a name. */
  root?: string;
  /** How long answers are gathered; default 2000 ms. */
  timeoutMs?: number;
  /** Called for each answer as it arrives. */
  onHit?(hit: SearchHit): void;
}

/** Searches the LAN and the mesh, answers others' searches from the index, and relays answers back. */
export interface SearchEngine {
  /** Asks everyone; resolves with the answers gathered within the timeout (deduplicated by holder and root). */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** Takes Get and Found envelopes; false for anything else. */
  handle(env: p2p.v1.IEnvelope, via: Via): boolean;
  /** Counters. */
  stats(): { answered: number; forwarded: number; relayed: number; refusedSearches: number; rateLimited: number };
}

/** What a search engine needs. */
export interface SearchEngineInit {
  node: FileNode;
  index: ShareIndex;
  limits: FileLimits;
  logger: Logger;
  /** Clock for the caches and rate limits; the process clock by default. */
  clock?: Clock;
}

const MAX_QUERY_LENGTH = 1024;
/** Longest holder name or host taken from a Found (a DNS name is at most 253). */
const MAX_HOLDER_NAME = 256;
const MAX_RELAYS_PER_QUERY = 200;

/** A search engine over a node's LAN datagrams and sessions. */
export function createSearchEngine(init: SearchEngineInit): SearchEngine {
  const { node, index, limits, logger } = init;
  const clock = init.clock ?? systemClock;
  const seen: SeenCache<true> = createSeenCache({ capacity: 8192, ttlMs: 120_000, clock });
  // query ID -> where the query came from, so answers go back the same way; with a count of answers relayed.
  const routes: SeenCache<{ via: Via; relayed: number }> = createSeenCache({ capacity: 8192, ttlMs: 120_000, clock });
  const buckets: SeenCache<TokenBucket> = createSeenCache({ capacity: 4096, ttlMs: 60_000, clock });
  const pending = new Map<string, { hits: Map<string, SearchHit>; onHit?: (h: SearchHit) => void; address?: HostPort }>();
  const stats = { answered: 0, forwarded: 0, relayed: 0, refusedSearches: 0, rateLimited: 0 };

  const viaKey = (via: Via): string => ('peer' in via ? `p:${via.peer}` : `l:${via.lan.host}`);
  const allow = (via: Via): boolean => {
    const k = viaKey(via);
    let b = buckets.get(k);
    if (!b) { b = new TokenBucket(limits.queriesPerSecond, limits.queriesPerSecond * 2, () => clock.now()); buckets.set(k, b); }
    return b.take();
  };
  const sendVia = (via: Via, env: p2p.v1.IEnvelope): void => {
    if ('peer' in via) node.sendEnvelope(via.peer, env);
    else node.sendLanTo(env, via.lan);
  };
  const connectedPeers = (): string[] => node.peers().filter((p) => p.state === 'connected').map((p) => p.peerId);
  const selfHost = (): { host: string; port: number } => {
    const a = node.listenAddress();
    const wildcard = !a || a.host === '0.0.0.0' || a.host === '::';
    return { host: wildcard ? '' : a!.host, port: a?.port ?? 0 };
  };

  const answer = (get: p2p.v1.IGet, via: Via): void => {
    let files;
    if (get.root?.length === 32) {
      const f = index.byRoot(toHex(get.root));
      files = f ? [f] : [];
    } else {
      const q = get.query ?? '';
      if (get.exact) {
        try {
          checkRelativeName(q);
        } catch (err) {
          stats.refusedSearches++;
          logger.warn({ err: (err as Error).message }, 'refused search');
          return;
        }
      }
      files = q ? index.search(q, get.exact === true, limits.resultsPerQuery) : [];
    }
    const me = selfHost();
    for (const f of files.slice(0, limits.resultsPerQuery)) {
      const found = signFound({
        queryId: get.queryId, peerId: peerIdFromString(node.peerId), to: get.origin, fileName: f.name, size: f.size,
        sha256: f.sha256, blockSize: f.blockSize, root: f.root, holderName: node.name, host: me.host, port: me.port,
      }, node.signer);
      stats.answered++;
      sendVia(via, { found });
    }
  };

  const onGet = (get: p2p.v1.IGet, via: Via): void => {
    if (get.queryId?.length !== 16 || get.origin?.length !== 32 || (get.query?.length ?? 0) > MAX_QUERY_LENGTH) return;
    const qid = toHex(get.queryId);
    if (seen.has(qid)) return;
    if (!allow(via)) { stats.rateLimited++; return; }
    seen.set(qid, true);
    const origin = peerIdToString(get.origin);
    if (origin === node.peerId) return;
    routes.set(qid, { via, relayed: 0 });
    answer(get, via);
    const hops = (get.hopCount ?? 0) + 1;
    const maxHops = Math.min(get.maxHops ?? 0, limits.maxHops);
    if (hops >= maxHops) return;
    const from = 'peer' in via ? via.peer : undefined;
    for (const p of connectedPeers()) {
      if (p === from || p === origin) continue;
      if (node.sendEnvelope(p, { get: { ...get, hopCount: hops } })) stats.forwarded++;
    }
  };

  const onFound = (found: p2p.v1.IFound, via: Via): void => {
    // Names bounded before anything keeps them: 500 hits of a megabyte-long name each would be 500 MiB per search.
    if (found.queryId?.length !== 16 || found.to?.length !== 32 || (found.fileName?.length ?? 0) > MAX_NAME_LENGTH
      || (found.holderName?.length ?? 0) > MAX_HOLDER_NAME || (found.host?.length ?? 0) > MAX_HOLDER_NAME) return;
    const qid = toHex(found.queryId);
    if (peerIdToString(found.to) === node.peerId) {
      const p = pending.get(qid);
      if (!p || p.hits.size >= limits.maxSearchResults || !verifyFound(found)) return;
      const peerId = peerIdToString(found.peerId!);
      const root = found.root?.length === 32 ? toHex(found.root) : '';
      const key = `${peerId}:${root}:${found.fileName}`;
      // The layout must be the one the size implies (block-layout.ts): a holder naming tiny blocks or a size of
      // petabytes would make the downloader allocate the block-hash list for it (32 bytes a block) before anything.
      const size = Number(found.size ?? 0);
      if (!root || p.hits.has(key) || !Number.isSafeInteger(size) || size < 0 || found.blockSize !== blockSizeFor(size)) return;
      // An answer without a host is dialled where it came from (LAN), or at the address the mesh knows.
      const host = found.host || ('lan' in via ? via.lan.host : node.peers().find((x) => x.peerId === peerId)?.address.host ?? '');
      const hit: SearchHit = {
        peerId, name: found.holderName ?? '', file: found.fileName ?? '', size,
        sha256: toHex(found.sha256 ?? new Uint8Array()), root, blockSize: found.blockSize ?? 0, host, port: found.port ?? 0,
        hops: found.hopCount ?? 0,
      };
      p.hits.set(key, hit);
      p.onHit?.(hit);
      return;
    }
    // Someone else's answer: relay it one hop back along the query's path (only over sessions).
    if (!('peer' in via)) return;
    const r = routes.get(qid);
    if (!r || r.relayed >= MAX_RELAYS_PER_QUERY || (found.hopCount ?? 0) >= 16) return;
    r.relayed++;
    stats.relayed++;
    sendVia(r.via, { found: { ...found, hopCount: (found.hopCount ?? 0) + 1 } });
  };

  return {
    search(query, options = {}) {
      const queryId = randomBytes(16);
      const qid = toHex(queryId);
      seen.set(qid, true);
      const get: p2p.v1.IGet = {
        queryId, origin: peerIdFromString(node.peerId), query: options.root ? '' : query, exact: options.exact === true,
        hopCount: 0, maxHops: limits.maxHops,
        ...(options.root ? { root: new Uint8Array(Buffer.from(options.root, 'hex')) } : {}),
      };
      const entry = { hits: new Map<string, SearchHit>(), onHit: options.onHit };
      pending.set(qid, entry);
      node.sendLan({ get });
      for (const p of connectedPeers()) node.sendEnvelope(p, { get });
      return new Promise((resolve) => {
        const t = clock.setTimeout(() => {
          pending.delete(qid);
          resolve([...entry.hits.values()]);
        }, options.timeoutMs ?? 2000);
        void t;
      });
    },
    handle(env, via) {
      if (env.get) { onGet(env.get, via); return true; }
      if (env.found) { onFound(env.found, via); return true; }
      return false;
    },
    stats: () => ({ ...stats }),
  };
}
