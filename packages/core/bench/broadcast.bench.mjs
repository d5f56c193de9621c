// Broadcast over 50 real nodes on loopback (TLS 1.3 sessions over TCP on 127.0.0.1, LAN discovery off): delivery
// time (origin's broadcast() -> the last node's 'message' event, median and p95) and copies received per node per
// message, for Plumtree beside naive flooding over the same mesh in the same run.
//
// The same mesh: every node is started with a fixed list of earlier nodes to dial (passed as its `seeds`; none of
// them has the seed role, so nobody hands out other peers and the mesh is exactly those links). Two such meshes run
// side by side, one per mode, with the same identities, links and origins; messages alternate between them.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CERT_FILE, createNode, KEY_FILE } from '../dist/index.js';
import { median } from './lib/measure.mjs';
import { emitJson } from './lib/emit.mjs';
import { formatTable } from './lib/table.mjs';

const NODES = Number(process.env.BENCH_BROADCAST_NODES ?? 50);
const MESSAGES = Number(process.env.BENCH_BROADCAST_MESSAGES ?? 60);
const WARMUP = 5;
const LINKS_PER_NODE = 3; // each node dials 3 earlier ones: mean degree about 6
const HOST = '127.0.0.1';
const MESSAGE_TIMEOUT_MS = 5000;
/** Whole-run budget for the message loop: past it, the remaining messages are skipped and the table says so. */
const BUDGET_MS = 120_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];

/** A seeded PRNG (mulberry32), so that both runs get the same mesh and origins. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function meshPlan() {
  const random = seeded(7);
  const dials = Array.from({ length: NODES }, (_, i) => {
    const earlier = Array.from({ length: i }, (_, j) => j).sort(() => random() - 0.5);
    return earlier.slice(0, Math.min(i, LINKS_PER_NODE));
  });
  const degree = new Array(NODES).fill(0);
  dials.forEach((targets, i) => targets.forEach((j) => { degree[i]++; degree[j]++; }));
  const origins = Array.from({ length: WARMUP + MESSAGES }, () => Math.floor(random() * NODES));
  return { dials, degree, origins, links: degree.reduce((a, b) => a + b, 0) / 2 };
}

async function until(deadlineMs, check) {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

/** Starts one mesh of the plan in the given broadcast mode and waits until every planned link is up. */
async function startMesh(mode, plan, root, nodes, identitiesFrom) {
  for (let i = 0; i < NODES; i++) {
    const dataDir = join(root, mode, `n${i}`);
    if (identitiesFrom) {
      // The same identity as node i of the other mesh, but nothing else of its state.
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      for (const file of [KEY_FILE, CERT_FILE]) await copyFile(join(root, identitiesFrom, `n${i}`, file), join(dataDir, file));
    }
    const node = createNode({
      dataDir, name: `n${i}`, listen: { host: HOST, port: 0 }, lan: { enabled: false },
      broadcastMode: mode, seeds: plan.dials[i].map((j) => nodes[j].listenAddress()),
      // A target above every planned degree: the mesh neither trims planned links nor finds others to add.
      mesh: { maxConnections: 64, maxInbound: 60, targetDegree: 48 },
    });
    nodes.push(node);
    await node.start();
  }
  const connected = (n) => n.peers().filter((p) => p.state === 'connected').length;
  if (!(await until(30_000, () => nodes.every((n, i) => connected(n) >= plan.degree[i])))) {
    throw new Error(`${mode}: the mesh did not form (${nodes.filter((n, i) => connected(n) < plan.degree[i]).length} nodes short of links)`);
  }
  const arrivals = new Map(); // message ID -> { count, last }
  for (const n of nodes) {
    n.on('message', (m) => {
      if (m.kind !== 'broadcast') return;
      const a = arrivals.get(m.id) ?? { count: 0, last: 0 };
      a.count++;
      a.last = performance.now();
      arrivals.set(m.id, a);
    });
  }
  return {
    mode, nodes, arrivals, times: [], complete: 0, copiesBefore: 0,
    copies: () => nodes.reduce((s, n) => { const st = n.stats(); return s + st.broadcastsDelivered + st.broadcastDuplicates; }, 0),
  };
}

/** Broadcasts message `m` in a mesh and waits until every other node has it (or the timeout). */
async function sendOne(mesh, plan, m) {
  const t0 = performance.now();
  const { messageId } = mesh.nodes[plan.origins[m]].broadcast(`message ${m}`);
  const done = await until(MESSAGE_TIMEOUT_MS, () => (mesh.arrivals.get(messageId)?.count ?? 0) >= NODES - 1);
  if (m < WARMUP) return;
  if (done) mesh.complete++;
  mesh.times.push((mesh.arrivals.get(messageId)?.last ?? performance.now()) - t0);
}

/** Runs the broadcast benchmark and prints its table. */
export default async function run() {
  const plan = meshPlan();
  const root = await mkdtemp(join(tmpdir(), 'p2p-bench-broadcast-'));
  const all = [];
  try {
    // Both meshes run side by side and the messages alternate between them, so a slow moment of a shared machine
    // hits both alike. Same identities, links and origins; only broadcastMode differs.
    const meshes = [];
    for (const mode of ['plumtree', 'flood']) {
      const nodes = [];
      all.push(nodes);
      meshes.push(await startMesh(mode, plan, root, nodes, meshes[0]?.mode));
    }
    if (all[1].some((n, i) => n.peerId !== all[0][i].peerId)) throw new Error('the two meshes do not have the same identities');
    const deadline = Date.now() + BUDGET_MS;
    for (let m = 0; m < WARMUP + MESSAGES && Date.now() < deadline; m++) {
      if (m === WARMUP) {
        await sleep(300); // stray copies of the warm-up settle before counting
        for (const mesh of meshes) mesh.copiesBefore = mesh.copies();
      }
      for (const mesh of m % 2 ? [...meshes].reverse() : meshes) {
        await sendOne(mesh, plan, m);
        await sleep(10);
      }
    }
    await sleep(300);
    const rows = meshes.map((mesh) => {
      const measured = mesh.times.length;
      const perNodeMsg = (mesh.copies() - mesh.copiesBefore) / (Math.max(1, measured) * (NODES - 1));
      return {
        mode: mesh.mode, nodes: NODES, links: plan.links, messages: measured, complete: `${mesh.complete}/${measured}`,
        median: measured ? median(mesh.times).toFixed(2) : 'n/a', p95: measured ? p95(mesh.times).toFixed(2) : 'n/a',
        copies: perNodeMsg.toFixed(3), duplicates: (perNodeMsg - 1).toFixed(3),
      };
    });
    emitJson('core-broadcast', {
      nodes: NODES, links: plan.links, meanDegree: (2 * plan.links) / NODES,
      modes: meshes.map((mesh, i) => ({
        mode: mesh.mode, messages: mesh.times.length, complete: mesh.complete,
        medianMs: mesh.times.length ? median(mesh.times) : null, p95Ms: mesh.times.length ? p95(mesh.times) : null,
        copiesPerNodePerMessage: Number(rows[i].copies),
      })),
    });
    console.log(`broadcast: ${NODES} nodes on ${HOST} (TLS 1.3), ${plan.links} links (mean degree ${(2 * plan.links / NODES).toFixed(1)}), ` +
      `${MESSAGES} messages one after the other from random origins after ${WARMUP} warm-up ones; baseline: naive flooding over the same mesh`);
    console.log(formatTable([
      { key: 'mode', title: 'mode', align: 'left' },
      { key: 'nodes', title: 'nodes' },
      { key: 'links', title: 'links' },
      { key: 'messages', title: 'messages' },
      { key: 'complete', title: 'reached all' },
      { key: 'median', title: 'to last node median ms' },
      { key: 'p95', title: 'p95 ms' },
      { key: 'copies', title: 'copies/node/msg' },
      { key: 'duplicates', title: 'duplicates/node/msg' },
    ], rows));
  } finally {
    await Promise.allSettled(all.flat().map((n) => n.stop()));
    await rm(root, { recursive: true, force: true });
  }
}
