import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { NodeStats, P2PNode } from '@p2p/core';
import type { Inbox } from '../inbox/index.js';

/** What the metrics read on every scrape. */
export interface MetricsSources {
  /** The node whose stats() and peers() are exported. */
  node: P2PNode;
  /** The inbox whose counters are exported. */
  inbox?: Inbox;
  /** Number of control clients connected. */
  controlClients?: () => number;
}

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

/** Builds a registry exporting the node's peers, bytes, messages, duplicates, dropped frames and ping RTTs. */
export function createNodeMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'p2pd_' });
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
  new Counter({
    name: 'p2p_messages_delivered_total', help: 'Messages delivered to this node, by kind.', labelNames: ['kind'], registers: [registry],
    collect() {
      this.reset();
      this.inc({ kind: 'broadcast' }, stats().broadcastsDelivered);
      this.inc({ kind: 'direct' }, stats().directDelivered);
    },
  });
  new Gauge({
    name: 'p2p_ping_rtt_seconds', help: 'Last ping round-trip time per connected peer.', labelNames: ['peer'], registers: [registry],
    collect() {
      this.reset();
      for (const [peer, ms] of Object.entries(stats().rttMs)) this.set({ peer }, ms / 1000);
    },
  });
  if (sources.inbox) {
    const inbox = sources.inbox;
    new Gauge({
      name: 'p2pd_inbox_messages', help: 'Messages held in the inbox.', registers: [registry],
      collect() {
        this.set(inbox.stats().stored);
      },
    });
    new Gauge({
      name: 'p2pd_inbox_dropped', help: 'Messages the inbox could not write since start.', registers: [registry],
      collect() {
        this.set(inbox.stats().dropped);
      },
    });
  }
  if (sources.controlClients) {
    const count = sources.controlClients;
    new Gauge({
      name: 'p2pd_control_clients', help: 'Clients connected to the control socket.', registers: [registry],
      collect() {
        this.set(count());
      },
    });
  }
  return registry;
}
