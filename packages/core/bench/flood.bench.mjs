// A broadcast flood through a relay, with the abuse limits on (defaults) beside the same run with them lifted
// (the baseline: what every node did before). Topology on loopback: flooder F and honest author A connected to
// relay B, reader C connected to B. F broadcasts 1,900 messages/s for up to FLOOD_MS; A broadcasts one line every
// 100 ms meanwhile. Measured at C: flood messages that arrived, honest lines that arrived and their latency.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNode } from '../dist/index.js';
import { median } from './lib/measure.mjs';
import { formatTable } from './lib/table.mjs';

const FLOOD_MS = Number(process.env.BENCH_FLOOD_MS ?? 3000);
const LIFTED = { broadcastsPerSecond: 1_000_000, broadcastBurst: 1_000_000 };

async function scenario(name, relayLimits) {
  const dirs = [];
  const nodes = [];
  const make = async (nodeName, limits) => {
    const dir = await mkdtemp(join(tmpdir(), 'p2p-bench-flood-'));
    dirs.push(dir);
    const n = createNode({ dataDir: dir, name: nodeName, listen: { host: '127.0.0.1', port: 0 }, lan: { enabled: false }, ...(limits ? { limits } : {}) });
    nodes.push(n);
    await n.start();
    return n;
  };
  try {
    const b = await make('b', relayLimits);
    const a = await make('a', relayLimits);
    const c = await make('c', relayLimits);
    const f = await make('f', LIFTED);
    for (const n of [a, c, f]) await n.connect(b.listenAddress());
    const sentAt = new Map();
    const latencies = [];
    let flooded = 0;
    c.on('message', (m) => {
      if (m.from === f.peerId) flooded++;
      else if (sentAt.has(m.id)) latencies.push(Date.now() - sentAt.get(m.id));
    });
    const connected = () => f.peers().some((p) => p.peerId === b.peerId && p.state === 'connected');
    let sent = 0;
    let honest = 0;
    const t0 = Date.now();
    await new Promise((resolve) => {
      let tick = 0;
      const timer = setInterval(() => {
        if (connected()) for (let i = 0; i < 19; i++) { f.broadcast(`flood ${sent++}`); }
        if (++tick % 10 === 0) { sentAt.set(a.broadcast(`honest ${honest++}`).messageId, Date.now()); }
        if (Date.now() - t0 >= FLOOD_MS) { clearInterval(timer); resolve(); }
      }, 10);
    });
    // Let what is in flight land.
    const end = Date.now() + 3000;
    while (Date.now() < end && latencies.length < honest) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const s = b.stats();
    return {
      name, sent, flooded, dropped: s.broadcastsRateLimited, penalized: s.peersPenalized,
      honest: `${latencies.length}/${honest}`,
      p50: latencies.length ? median(latencies).toFixed(0) : 'n/a',
      max: latencies.length ? Math.max(...latencies).toFixed(0) : 'n/a',
    };
  } finally {
    await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}

export default async function run() {
  console.log(`## Broadcast flood through a relay (1,900/s for ${FLOOD_MS} ms, honest line every 100 ms)\n`);
  const rows = [await scenario('limits lifted (baseline)', LIFTED), await scenario('limits on (defaults)', undefined)];
  console.log(formatTable([
    { key: 'name', title: 'relay', align: 'left' },
    { key: 'sent', title: 'flood sent' },
    { key: 'flooded', title: 'flood at reader' },
    { key: 'dropped', title: 'dropped at relay' },
    { key: 'penalized', title: 'flooder boxed' },
    { key: 'honest', title: 'honest at reader' },
    { key: 'p50', title: 'honest p50 ms' },
    { key: 'max', title: 'honest max ms' },
  ], rows));
}
