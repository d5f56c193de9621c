import { describe, expect, it } from 'vitest';
import type { P2PNode } from '@p2p/core';
import { createNodeMetrics } from './node-metrics.js';
import { startMetricsServer } from './metrics-server.js';

const node = {
  peers: () => [
    { peerId: 'b', name: 'bob', address: { host: '127.0.0.1', port: 2 }, state: 'connected', role: 'peer', load: 1 },
    { peerId: 'c', name: 'carol', address: { host: '127.0.0.1', port: 3 }, state: 'known', role: 'peer', load: 0 },
  ],
  stats: () => ({
    connections: 1, bytesSent: 1000, bytesReceived: 2000, framesSent: 10, framesReceived: 20, framesDropped: 3,
    broadcastsDelivered: 4, broadcastDuplicates: 5, directDelivered: 6, peersDeclaredDead: 7, rttMs: { b: 12 },
  }),
} as unknown as P2PNode;

describe('metrics', () => {
  it('serves the node counters in the Prometheus text format on loopback', async () => {
    const server = await startMetricsServer(createNodeMetrics({ node }), { host: '127.0.0.1', port: 0 }, console);
    try {
      const res = await fetch(`http://127.0.0.1:${server.address().port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      const text = await res.text();
      expect(text).toContain('p2p_peers{state="connected"} 1');
      expect(text).toContain('p2p_peers{state="known"} 1');
      expect(text).toContain('# TYPE p2p_bytes_sent_total counter');
      expect(text).toContain('p2p_bytes_sent_total 1000');
      expect(text).toContain('p2p_frames_dropped_total 3');
      expect(text).toContain('p2p_broadcast_duplicates_total 5');
      expect(text).toContain('p2p_messages_delivered_total{kind="direct"} 6');
      expect(text).toContain('p2p_ping_rtt_seconds{peer="b"} 0.012');
      expect((await fetch(`http://127.0.0.1:${server.address().port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
