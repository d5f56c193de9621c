import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NodeStats, P2PNode } from '@p2p/core';
import type { Inbox } from '../inbox/index.js';
import { registerInboxMetrics } from './inbox-metrics.js';

/** What the metrics read on every scrape. */
export interface MetricsSources {
  /** The node whose stats() and peers() are exported. */
  node: P2PNode;
  /** The inbox whose counters are exported. */
  inbox?: Inbox;
  /** Number of control clients connected. */
  controlClients?: () => number;
  /** The daemon's version, for p2p_build_info. */
  version?: string;
  /** How often connected peers' RTTs are sampled into the histogram, ms; default 1000. */
  rttSampleMs?: number;
}

/** The registry and what keeps it fed between scrapes. */
export interface NodeMetrics {
  /** Every metric, for the /metrics endpoint. */
  registry: Registry;
  /** Stops the RTT sampling. */
  stop(): void;
}

/** Buckets of the ping RTT histogram, seconds: loopback to intercontinental. */
export const RTT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

// The node keeps cumulative counters; a prom-client Counter cannot be set, so each scrape resets it to
// the node's value (still exported with the counter type, which is what they are).
function mirroredCounter(registry: Registry, name: string, help: string, read: (s: NodeStats) => number, stats: () => NodeStats): void {
  new Counter({
    name, help, registers: [registry],
    collect() {
      this.reset();
      this.inc(read(stats()));
    },
  });
}

/**
 * Builds a registry by Prometheus conventions: the standard process and Node.js metrics unprefixed, counters named
 * `_total`, p2p_build_info, and no label that grows with the number of peers (RTTs go into one histogram).
 */
export function createNodeMetrics(sources: MetricsSources): NodeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'p2p_build_info', help: 'Always 1; the labels say which p2pd and Node.js run.', labelNames: ['version', 'nodejs'], registers: [registry],
  }).set({ version: sources.version ?? 'unknown', nodejs: process.versions.node }, 1);
  const { node } = sources;
  // One stats() call per scrape, shared by every metric collected in it.
  let cached: { at: number; stats: NodeStats } | undefined;
  const stats = (): NodeStats => {
    const now = Date.now();
    if (!cached || now - cached.at > 50) cached = { at: now, stats: node.stats() };
    return cached.stats;
  };

  new Gauge({
    name: 'p2p_peers', help: 'Peers in the peer table, by state.', labelNames: ['state'], registers: [registry],
    collect() {
      this.reset();
      const counts = { connected: 0, known: 0, dead: 0 };
      for (const peer of node.peers()) counts[peer.state]++;
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'p2p_connections', help: 'Live sessions.', registers: [registry],
    collect() {
      this.set(stats().connections);
    },
  });
  mirroredCounter(registry, 'p2p_bytes_sent_total', 'Bytes written to sessions.', (s) => s.bytesSent, stats);
  mirroredCounter(registry, 'p2p_bytes_received_total', 'Bytes read from sessions.', (s) => s.bytesReceived, stats);
  mirroredCounter(registry, 'p2p_frames_sent_total', 'Frames written to sessions.', (s) => s.framesSent, stats);
  mirroredCounter(registry, 'p2p_frames_received_total', 'Frames read from sessions.', (s) => s.framesReceived, stats);
  mirroredCounter(registry, 'p2p_frames_dropped_total', 'Frames dropped: malformed, oversized, rate-limited or queue full.', (s) => s.framesDropped, stats);
  mirroredCounter(registry, 'p2p_broadcast_duplicates_total', 'Broadcast copies received beyond the first.', (s) => s.broadcastDuplicates, stats);
  mirroredCounter(registry, 'p2p_peers_declared_dead_total', 'Peers declared dead by liveness.', (s) => s.peersDeclaredDead, stats);
  mirroredCounter(registry, 'p2p_messages_rejected_total', 'Broadcasts, directs and acknowledgements dropped because their signature did not prove their author.', (s) => s.messagesRejected ?? 0, stats);
  mirroredCounter(registry, 'p2p_broadcasts_rate_limited_total', 'New broadcasts dropped where first seen, over an origin\'s or a neighbour\'s rate limit.',
    (s) => s.broadcastsRateLimited, stats);
  mirroredCounter(registry, 'p2p_messages_too_large_total', 'Chat texts over 64 KiB refused on receipt.', (s) => s.messagesTooLarge, stats);
  mirroredCounter(registry, 'p2p_peers_penalized_total', 'Neighbours disconnected and refused for a while for flooding.', (s) => s.peersPenalized, stats);
  mirroredCounter(registry, 'p2p_unproven_dials_skipped_total', 'Dials to never-proven addresses skipped by the node-wide cap.', (s) => s.unprovenDialsSkipped, stats);
  new Counter({
    name: 'p2p_messages_delivered_total', help: 'Messages delivered to this node, by kind.', labelNames: ['kind'], registers: [registry],
    collect() {
      this.reset();
      this.inc({ kind: 'broadcast' }, stats().broadcastsDelivered);
      this.inc({ kind: 'direct' }, stats().directDelivered);
    },
  });
  const rtt = new Histogram({
    name: 'p2p_ping_rtt_seconds', help: 'Ping round-trip times to connected peers (each new measurement, sampled every second).',
    buckets: RTT_BUCKETS, registers: [registry],
  });
  // The node keeps each session's last RTT; a value that changed since the last look is a new measurement.
  const lastSeen = new Map<string, number>();
  const sample = () => {
    const now = node.stats().rttMs;
    for (const [peer, ms] of Object.entries(now)) {
      if (lastSeen.get(peer) !== ms) rtt.observe(ms / 1000);
      lastSeen.set(peer, ms);
    }
    for (const peer of lastSeen.keys()) if (!(peer in now)) lastSeen.delete(peer);
  };
  const sampler = setInterval(sample, sources.rttSampleMs ?? 1000);
  sampler.unref();
  if (sources.inbox) registerInboxMetrics(registry, sources.inbox);
  if (sources.controlClients) {
    const count = sources.controlClients;
    new Gauge({
      name: 'p2pd_control_clients', help: 'Clients connected to the control socket.', registers: [registry],
      collect() {
        this.set(count());
      },
    });
  }
  return { registry, stop: () => clearInterval(sampler) };
}
