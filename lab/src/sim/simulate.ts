/**
 * The broadcast simulation: N real broadcast engines (core's Plumtree, or flooding as the baseline) on one random
 * overlay, connected by an in-process bus that encodes and decodes every envelope with the real codec, with a
 * per-hop latency, on a virtual clock (real time would be far too slow for 10,000 nodes on two cores: one run of
 * 10,000 nodes takes seconds of CPU and covers tens of virtual seconds). Optionally a share of the nodes fails at
 * once, and their neighbours learn it only when the failure detector would fire (3 missed pings at 750 ms).
 */
import { peerIdToString } from '@p2p/core';
import { createBroadcastEngine, seededRandom, VirtualClock, type BroadcastEngine, type BroadcastMode } from '@p2p/core/testing';
import { decodeEnvelope, encodeEnvelope, type Envelope } from '@p2p/core/wire';
import { randomOverlay, reachable } from './sim-graph.js';

/** Parameters of one simulation run. */
export interface SimParams {
  nodes: number;
  mode: BroadcastMode;
  /** Share of nodes that fail at once after the warm-up (0..0.9). */
  failRatio: number;
  /** Measured broadcasts (after the warm-up ones). */
  messages?: number;
  /** Warm-up broadcasts (the tree forms on the first ones). */
  warmup?: number;
  /** Virtual ms between broadcasts. */
  intervalMs?: number;
  /** Per-hop latency range, virtual ms. */
  latency?: { minMs: number; maxMs: number };
  /** Overlay degree range (the mesh keeps 8 by default). */
  degree?: { min: number; max: number };
  /** Virtual ms from a failure until its neighbours drop the link. */
  detectMs?: number;
  seed?: number;
}

/** What one run measured (per-message figures are over the measured broadcasts). */
export interface SimResult {
  nodes: number;
  mode: BroadcastMode;
  failRatio: number;
  messages: number;
  /** Deliveries found / deliveries owed (live nodes reachable from the origin), over all measured broadcasts. */
  deliveryRatio: number;
  /** Lowest per-message delivery ratio. */
  worstMessageRatio: number;
  /** Payload copies received per live receiving node per message. */
  copiesPerNode: number;
  /** Plumtree paper's relative message redundancy: payload sends / receivers - 1, median over messages. */
  rmr: number;
  /** Deliveries beyond the first at one node (exactly-once violations; must be 0). */
  overDelivered: number;
  /** Largest hop count of a delivery, median over messages / worst. */
  lastHopMedian: number;
  lastHopMax: number;
  /** Virtual ms from broadcast to the last delivery, median over messages / p95. */
  lastDeliveryMsMedian: number;
  lastDeliveryMsP95: number;
  /** Virtual ms until 99.99% of the owed nodes have it, median over messages (Serf's convergence figure). */
  ms9999Median: number;
  /** Envelopes on the wire per node per message, by type (payload, ihave, graft, prune). */
  envelopesPerNodePerMessage: Record<string, number>;
  /** Virtual ms simulated and wall ms it took. */
  virtualMs: number;
  wallMs: number;
}

interface Track {
  origin: number;
  sentAt: number;
  measured: boolean;
  count: Uint16Array;
  at: Float64Array;
  maxHop: number;
  payloadsSent: number;
  payloadsReceived: number;
}

const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};

/** Runs one simulation. */
export function simulate(p: SimParams): SimResult {
  const wallStart = performance.now();
  const n = p.nodes;
  const random = seededRandom(p.seed ?? 1);
  const clock = new VirtualClock();
  const latency = p.latency ?? { minMs: 1, maxMs: 5 };
  const degree = p.degree ?? { min: 6, max: 10 };
  const detectMs = p.detectMs ?? 2250;
  const warmup = p.warmup ?? 5;
  const messages = p.messages ?? 20;
  const interval = p.intervalMs ?? 200;
  const adj = randomOverlay(n, degree.min, degree.max, random);
  const ids = Array.from({ length: n }, () => peerIdToString(Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256))));
  const index = new Map(ids.map((id, i) => [id, i]));
  const dead = new Uint8Array(n);
  const tracks = new Map<string, Track>();
  const sentByType: Record<string, number> = {};
  const linkFree = new Map<number, number>();
  let overDelivered = 0;
  /** Payload sends of a broadcast() call, made before its track exists (the ID is made inside broadcast()). */
  let untracked = 0;

  const engines: BroadcastEngine[] = ids.map((self, i) => createBroadcastEngine({
    self, selfName: `n${i}`, mode: p.mode, clock, random,
    send: (to, env) => send(i, index.get(to)!, env),
    deliver: (m) => {
      const t = tracks.get(m.id);
      if (!t) return;
      if (t.count[i]!++ === 0) {
        t.at[i] = clock.now();
        t.maxHop = Math.max(t.maxHop, m.hops);
      } else {
        overDelivered++;
      }
    },
  }));

  function send(from: number, to: number, envelope: Envelope): boolean {
    if (dead[from]) return false;
    const bytes = encodeEnvelope(envelope);
    const type = Object.keys(envelope)[0] ?? '?';
    sentByType[type] = (sentByType[type] ?? 0) + 1;
    const payloadId = envelope.broadcast?.messageId ? Buffer.from(envelope.broadcast.messageId).toString('hex') : undefined;
    if (payloadId) {
      const t = tracks.get(payloadId);
      if (t) t.payloadsSent++;
      else untracked++;
    }
    // In order per link, as over one TCP session.
    const key = from * n + to;
    const at = Math.max(clock.now() + latency.minMs + random() * (latency.maxMs - latency.minMs), linkFree.get(key) ?? 0);
    linkFree.set(key, at);
    clock.setTimeout(() => {
      if (dead[to]) return;
      const decoded = decodeEnvelope(bytes);
      if (payloadId) {
        const t = tracks.get(payloadId);
        if (t) t.payloadsReceived++;
      }
      engines[to]!.handle(ids[from]!, decoded);
    }, at - clock.now());
    return true;
  }

  adj.forEach((neighbours, i) => neighbours.forEach((j) => engines[i]!.neighbourUp(ids[j]!)));

  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const victims = order.slice(0, Math.floor(n * Math.min(0.9, Math.max(0, p.failRatio))));
  const survivors = order.slice(victims.length);
  const broadcastFrom = (origin: number, measured: boolean) => {
    untracked = 0;
    const { messageId } = engines[origin]!.broadcast({ text: `sim ${tracks.size}` });
    tracks.set(messageId, { origin, sentAt: clock.now(), measured, count: new Uint16Array(n), at: new Float64Array(n), maxHop: 0, payloadsSent: untracked, payloadsReceived: 0 });
  };
  let t = 0;
  for (let m = 0; m < warmup; m++, t += interval) clock.setTimeout(() => broadcastFrom(survivors[Math.floor(random() * survivors.length)]!, false), t);
  const failAt = t;
  clock.setTimeout(() => {
    for (const v of victims) {
      dead[v] = 1;
      engines[v]!.stop();
    }
    clock.setTimeout(() => {
      for (const v of victims) for (const nb of adj[v]!) if (!dead[nb]) engines[nb]!.neighbourDown(ids[v]!);
    }, detectMs);
  }, failAt);
  const sentBefore: Record<string, number> = {};
  clock.setTimeout(() => Object.assign(sentBefore, sentByType), failAt);
  for (let m = 0; m < messages; m++, t += interval) clock.setTimeout(() => broadcastFrom(survivors[Math.floor(random() * survivors.length)]!, true), t);
  const end = t + detectMs + 10_000;
  clock.runUntil(end);

  let owedAll = 0;
  let gotAll = 0;
  let worst = 1;
  let copies = 0;
  const rmrs: number[] = [];
  const hops: number[] = [];
  const lasts: number[] = [];
  const t9999: number[] = [];
  const measured = [...tracks.values()].filter((x) => x.measured);
  for (const tr of measured) {
    const reach = reachable(adj, tr.origin, (i) => !dead[i]);
    let owed = 0;
    let got = 0;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i === tr.origin || dead[i] || !reach[i]) continue;
      owed++;
      if (tr.count[i]! > 0) {
        got++;
        times.push(tr.at[i]! - tr.sentAt);
      }
    }
    owedAll += owed;
    gotAll += got;
    worst = Math.min(worst, owed ? got / owed : 1);
    copies += tr.payloadsReceived;
    rmrs.push(tr.payloadsSent / Math.max(1, got) - 1);
    hops.push(tr.maxHop);
    times.sort((a, b) => a - b);
    lasts.push(times.length ? times[times.length - 1]! : NaN);
    const need = Math.ceil(owed * 0.9999);
    t9999.push(times.length >= need && need > 0 ? times[need - 1]! : NaN);
  }
  const perNodeMsg = (k: string) => ((sentByType[k] ?? 0) - (sentBefore[k] ?? 0)) / Math.max(1, measured.length * (n - victims.length));
  return {
    nodes: n, mode: p.mode, failRatio: p.failRatio, messages: measured.length,
    deliveryRatio: owedAll ? gotAll / owedAll : 1,
    worstMessageRatio: worst,
    copiesPerNode: copies / Math.max(1, owedAll),
    rmr: quantile(rmrs, 0.5),
    overDelivered,
    lastHopMedian: quantile(hops, 0.5), lastHopMax: Math.max(...hops),
    lastDeliveryMsMedian: quantile(lasts.filter(Number.isFinite), 0.5), lastDeliveryMsP95: quantile(lasts.filter(Number.isFinite), 0.95),
    ms9999Median: quantile(t9999.filter(Number.isFinite), 0.5),
    envelopesPerNodePerMessage: { payload: perNodeMsg('broadcast'), ihave: perNodeMsg('ihave'), graft: perNodeMsg('graft'), prune: perNodeMsg('prune') },
    virtualMs: end,
    wallMs: Math.round(performance.now() - wallStart),
  };
}
