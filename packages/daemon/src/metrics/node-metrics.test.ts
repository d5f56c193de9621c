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

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('metrics', () => {
  it('serves the node counters in the Prometheus text format on loopback', async () => {
    const metrics = createNodeMetrics({ node, version: '1.2.3', rttSampleMs: 10 });
    let healthy = true;
    const server = await startMetricsServer(metrics.registry, { host: '127.0.0.1', port: 0 }, console, () => ({ ok: healthy, detail: healthy ? 'ok' : 'disk full' }));
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
      expect(text).toContain(`p2p_build_info{version="1.2.3",nodejs="${process.versions.node}"} 1`);
      // The standard process metrics, unprefixed; no label carries a peer ID.
      expect(text).toMatch(/^process_cpu_seconds_total /m);
      expect(text).toMatch(/^process_resident_memory_bytes /m);
      expect(text).not.toMatch(/p2pd_process|peer="/);
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) if (type === 'counter') expect(name).toMatch(/_total$/);
      const port = server.address().port;
      await until(async () => /p2p_ping_rtt_seconds_bucket\{le="0.025"\} 1/.test(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()));
      expect(text).toContain('# TYPE p2p_ping_rtt_seconds histogram');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([ok.status, await ok.text()]).toEqual([200, 'ok\n']);
      healthy = false;
      const sick = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([sick.status, await sick.text()]).toEqual([503, 'disk full\n']);
    } finally {
      metrics.stop();
      await server.close();
    }
  });
});
