// Session setup time: connect + authenticated Hello + first message round trip, for our node over TLS 1.3 and in
// insecure (plaintext) mode, beside two baselines measured in the same run: a raw TCP connect + echo, and a
// node:tls mutual TLS 1.3 connect + echo (what our TLS mode costs before any protocol of ours).
// Then memory: RSS of an idle node process beside a bare node process, and RSS per session.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { createNode, generateIdentity, loadOrCreateIdentity } from '../dist/index.js';
import { median } from './lib/measure.mjs';
import { emitJson } from './lib/emit.mjs';
import { formatTable } from './lib/table.mjs';

const RUNS = Number(process.env.BENCH_SESSION_RUNS ?? 25);
const CONNS = Number(process.env.BENCH_SESSION_CONNS ?? 20);
const HOST = '127.0.0.1';
const FIXTURE = fileURLToPath(new URL('../test/fixtures/node-process.mjs', import.meta.url));

const p90 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.9))];
const ms = (v) => v.toFixed(2);

async function listen(server) {
  await new Promise((r) => server.listen(0, HOST, r));
  return server.address().port;
}

async function rawTcpCase() {
  const server = net.createServer((s) => s.pipe(s));
  const port = await listen(server);
  return {
    name: 'raw TCP connect + echo (baseline)',
    async once() {
      const t0 = performance.now();
      await new Promise((resolve, reject) => {
        const s = net.connect(port, HOST, () => s.write('x'));
        s.once('data', () => { s.destroy(); resolve(); });
        s.once('error', reject);
      });
      return performance.now() - t0;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

async function rawTlsCase() {
  const [a, b] = await Promise.all([generateIdentity(), generateIdentity()]);
  const server = tls.createServer({ key: a.keyPem, cert: a.certPem, minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false }, (s) => s.pipe(s));
  const port = await listen(server);
  return {
    name: 'node:tls mutual TLS 1.3 + echo (baseline)',
    async once() {
      const t0 = performance.now();
      await new Promise((resolve, reject) => {
        const s = tls.connect({ host: HOST, port, key: b.keyPem, cert: b.certPem, minVersion: 'TLSv1.3', rejectUnauthorized: false, checkServerIdentity: () => undefined }, () => s.write('x'));
        s.once('data', () => { s.destroy(); resolve(); });
        s.once('error', reject);
      });
      return performance.now() - t0;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

async function nodeCase(insecure, dirs) {
  const base = await mkdtemp(join(tmpdir(), 'p2p-bench-'));
  dirs.push(base);
  const common = { listen: { host: HOST, port: 0 }, lan: { enabled: false }, insecure, mesh: { targetDegree: 1 } };
  const server = createNode({ ...common, dataDir: join(base, 'server'), name: 'server' });
  await server.start();
  const address = server.listenAddress();
  const clientDir = join(base, 'client');
  return {
    name: insecure ? 'our node, insecure: connect + Hello + direct msg acked' : 'our node, TLS 1.3: connect + Hello + direct msg acked',
    async once() {
      // A fresh client node each run (start and stop untimed), so no run reuses a session.
      const client = createNode({ ...common, dataDir: clientDir, name: 'client' });
      await client.start();
      const t0 = performance.now();
      await client.connect(address, insecure ? undefined : server.peerId);
      const result = await client.send(server.peerId, 'first message', { timeoutMs: 5000 });
      const elapsed = performance.now() - t0;
      await client.stop();
      if (result.status !== 'delivered') throw new Error(`first message ${result.status}`);
      return elapsed;
    },
    close: () => server.stop(),
  };
}

function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function memory(dirs) {
  const base = await mkdtemp(join(tmpdir(), 'p2p-bench-mem-'));
  dirs.push(base);
  // The identity exists before the hub starts, as on every start of a node after its first: the x509 code that
  // creates a certificate is loaded only on first start.
  await loadOrCreateIdentity(join(base, 'hub'));
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const hub = spawn(process.execPath, [FIXTURE, JSON.stringify({ dataDir: join(base, 'hub'), listen: { host: HOST, port: 0 }, lan: { enabled: false }, mesh: { maxConnections: CONNS + 5, maxInbound: CONNS + 5, targetDegree: 1 } })], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const ready = await new Promise((resolve, reject) => {
      let buf = '';
      hub.stdout.on('data', (c) => {
        buf += c;
        const line = buf.split('\n').find((l) => l.includes('"ready"'));
        if (line) resolve(JSON.parse(line));
      });
      hub.once('exit', () => reject(new Error('hub exited')));
    });
    await new Promise((r) => setTimeout(r, 1500));
    const bareRss = rssOf(bare.pid);
    const idleRss = rssOf(hub.pid);
    const clients = [];
    for (let i = 0; i < CONNS; i++) {
      const c = createNode({ dataDir: join(base, `c${i}`), listen: { host: HOST, port: 0 }, lan: { enabled: false }, mesh: { targetDegree: 1 } });
      await c.start();
      await c.connect(ready.address, ready.peerId);
      clients.push(c);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const busyRss = rssOf(hub.pid);
    await Promise.all(clients.map((c) => c.stop()));
    console.log(formatTable(
      [{ key: 'what', title: 'memory (RSS)', align: 'left' }, { key: 'mb', title: 'MB' }],
      [
        { what: 'bare node process (baseline)', mb: bareRss.toFixed(1) },
        { what: 'idle p2p node process (stored identity)', mb: idleRss.toFixed(1) },
        { what: `p2p node with ${CONNS} TLS sessions`, mb: busyRss.toFixed(1) },
        { what: 'per session', mb: ((busyRss - idleRss) / CONNS).toFixed(3) },
      ],
    ));
    return { sessions: CONNS, bareMiB: bareRss, idleMiB: idleRss, busyMiB: busyRss, perSessionKiB: ((busyRss - idleRss) * 1024) / CONNS };
  } finally {
    bare.kill('SIGKILL');
    hub.kill('SIGKILL');
  }
}

/** Session setup time and memory, each beside its baseline. */
export default async function run() {
  console.log(`## session setup (loopback, ${RUNS} runs each, interleaved)\n`);
  const dirs = [];
  const cases = [await rawTcpCase(), await rawTlsCase(), await nodeCase(true, dirs), await nodeCase(false, dirs)];
  const samples = new Map(cases.map((c) => [c, []]));
  try {
    for (const c of cases) await c.once(); // warm-up
    for (let r = 0; r < RUNS; r++) {
      for (const c of r % 2 ? [...cases].reverse() : cases) samples.get(c).push(await c.once());
    }
    console.log(formatTable(
      [{ key: 'name', title: 'case', align: 'left' }, { key: 'median', title: 'median ms' }, { key: 'p90', title: 'p90 ms' }],
      cases.map((c) => ({ name: c.name, median: ms(median(samples.get(c))), p90: ms(p90(samples.get(c))) })),
    ));
    console.log('');
    const mem = await memory(dirs);
    emitJson('core-session', {
      setup: cases.map((c) => ({ name: c.name, medianMs: median(samples.get(c)), p90Ms: p90(samples.get(c)) })),
      memory: mem,
    });
  } finally {
    for (const c of cases) await c.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}
