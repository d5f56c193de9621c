/**
 * js-libp2p gossipsub (@libp2p/gossipsub 17, the maintained successor of @chainsafe/libp2p-gossipsub and the one
 * that runs on the libp2p 3 in core's devDependencies) at the same node count and over the same kind of mesh as our
 * broadcast bench: N nodes in this process on 127.0.0.1 (TCP + Noise + Yamux), each dialling 3 earlier ones, all on
 * one topic. Measured: time from publish until every other node has the message (median, p95), and payload copies
 * received per node per message (every message carried in an RPC counts, duplicates included), with IHAVEs.
 * Defaults everywhere (D=6, heartbeat 1 s) but the IP-colocation penalty, which is off because all peers share 127.0.0.1.
 */
import { performance } from 'node:perf_hooks';
import { installWithResolvers } from './with-resolvers.js';

/** What the gossipsub run measured. */
export interface GossipsubResult {
  nodes: number;
  links: number;
  messages: number;
  complete: number;
  medianMs: number;
  p95Ms: number;
  copiesPerNodePerMessage: number;
  ihavePerMessage: number;
  version: string;
}

const TOPIC = 'p2p-bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))] ?? NaN;

/** A seeded PRNG (mulberry32), the same as the broadcast bench's, so the mesh plan matches. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The version of an installed package (its package.json is not exported, so it is found next to its entry point). */
async function packageVersion(name: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  let dir = fileURLToPath(import.meta.resolve(name));
  for (let i = 0; i < 6; i++) {
    dir = dir.slice(0, dir.lastIndexOf('/'));
    const text = await readFile(`${dir}/package.json`, 'utf8').catch(() => '');
    if (text && (JSON.parse(text) as { name?: string }).name === name) return (JSON.parse(text) as { version: string }).version;
  }
  return 'unknown';
}

/** Runs gossipsub on `nodes` nodes and broadcasts `messages` messages one after the other. */
export async function runGossipsub(nodes: number, messages: number, warmup = 5): Promise<GossipsubResult> {
  installWithResolvers();
  const [{ createLibp2p }, { tcp }, { noise }, { yamux }, { identify }, { gossipsub }] = await Promise.all([
    import('libp2p'), import('@libp2p/tcp'), import('@chainsafe/libp2p-noise'), import('@chainsafe/libp2p-yamux'), import('@libp2p/identify'), import('@libp2p/gossipsub'),
  ]);
  const version = await packageVersion('@libp2p/gossipsub');
  const random = seeded(7);
  const all: Awaited<ReturnType<typeof createLibp2p>>[] = [];
  let copies = 0;
  let ihave = 0;
  const arrivals = new Map<string, { count: number; last: number }>();
  const seenBy = new Map<string, Set<number>>();
  try {
    for (let i = 0; i < nodes; i++) {
      const node = await createLibp2p({
        addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
        transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()], peerDiscovery: [],
        connectionManager: { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 100 },
        services: {
          identify: identify(),
          // Every peer here shares 127.0.0.1: without this, the IP-colocation penalty (more than 10 peers from one IP)
          // graylists the peers of the best-connected nodes, which then never join a mesh.
          pubsub: gossipsub({ emitSelf: false, allowPublishToZeroTopicPeers: true, scoreParams: { IPColocationFactorWeight: 0 } }),
        },
      });
      const ps = node.services.pubsub as unknown as {
        handleReceivedRpc: (from: unknown, rpc: { messages?: unknown[]; control?: { ihave?: { messageIDs?: unknown[] }[] } }) => Promise<void>;
        subscribe: (t: string) => void;
        publish: (t: string, d: Uint8Array) => Promise<unknown>;
        getMeshPeers: (t: string) => unknown[];
        addEventListener: (e: string, fn: (ev: { detail: { msg?: { data: Uint8Array } } }) => void) => void;
      };
      const original = ps.handleReceivedRpc.bind(ps);
      ps.handleReceivedRpc = (from, rpc) => {
        copies += rpc.messages?.length ?? 0;
        for (const h of rpc.control?.ihave ?? []) ihave += h.messageIDs?.length ?? 0;
        return original(from, rpc);
      };
      const me = i;
      ps.addEventListener('gossipsub:message', (ev) => {
        const key = new TextDecoder().decode(ev.detail.msg?.data ?? new Uint8Array());
        if (process.env.BENCH_DEBUG) seenBy.set(key, (seenBy.get(key) ?? new Set<number>()).add(me));
        const a = arrivals.get(key) ?? { count: 0, last: 0 };
        a.count++;
        a.last = performance.now();
        arrivals.set(key, a);
      });
      ps.subscribe(TOPIC);
      all.push(node);
    }
    let links = 0;
    for (let i = 1; i < nodes; i++) {
      const earlier = Array.from({ length: i }, (_, j) => j).sort(() => random() - 0.5).slice(0, Math.min(i, 3));
      for (const j of earlier) {
        await all[i]!.dial(all[j]!.getMultiaddrs()[0]!);
        links++;
      }
    }
    // Let the heartbeats (1 s) build the topic mesh.
    const pubsub = (i: number) => all[i]!.services.pubsub as unknown as { getMeshPeers: (t: string) => unknown[]; publish: (t: string, d: Uint8Array) => Promise<unknown> };
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !all.every((_, i) => pubsub(i).getMeshPeers(TOPIC).length >= 1)) await sleep(200);
    await sleep(3000);
    if (process.env.BENCH_DEBUG) console.error('mesh', all.map((n, i) => `${pubsub(i).getMeshPeers(TOPIC).length}/${n.getConnections().length}`).join(' '));
    const times: number[] = [];
    let complete = 0;
    let copiesBefore = 0;
    let ihaveBefore = 0;
    // The same whole-run budget as our broadcast bench: past it, the remaining messages are skipped (and counted).
    const budgetEnd = Date.now() + 120_000;
    for (let m = 0; m < warmup + messages && Date.now() < budgetEnd; m++) {
      if (m === warmup) {
        await sleep(1500); // late copies and gossip of the warm-up settle before counting
        copiesBefore = copies;
        ihaveBefore = ihave;
      }
      const origin = Math.floor(random() * nodes);
      const key = `gossip ${m} ${Date.now()}`;
      const t0 = performance.now();
      await Promise.race([pubsub(origin).publish(TOPIC, new TextEncoder().encode(key)), sleep(5000)]);
      const end = Date.now() + 5000;
      while (Date.now() < end && (arrivals.get(key)?.count ?? 0) < nodes - 1) await sleep(2);
      if (m < warmup) continue;
      if ((arrivals.get(key)?.count ?? 0) >= nodes - 1) complete++;
      times.push((arrivals.get(key)?.last ?? performance.now()) - t0);
      if (process.env.BENCH_DEBUG) console.error(m, arrivals.get(key)?.count, times.at(-1), 'missing', all.map((_, i) => i).filter((i) => i !== origin && !(seenBy.get(key)?.has(i))).join(','));
      await sleep(10);
    }
    await sleep(1500); // gossip (IHAVE) of the last messages goes out on the next heartbeats
    const measured = times.length;
    return {
      nodes, links, messages: measured, complete, medianMs: quantile(times, 0.5), p95Ms: quantile(times, 0.95),
      copiesPerNodePerMessage: (copies - copiesBefore) / (Math.max(1, measured) * (nodes - 1)), ihavePerMessage: (ihave - ihaveBefore) / Math.max(1, measured), version,
    };
  } finally {
    await Promise.allSettled(all.map((n) => n.stop()));
  }
}
