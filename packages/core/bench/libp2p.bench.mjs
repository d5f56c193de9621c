// js-libp2p (TCP + Noise + Yamux, the stack a libp2p user gets on Node) beside our node, measured in the same run:
// session setup (dial + first round trip), one-stream throughput, and memory (idle process, per connection).
// Every node listens on 127.0.0.1 only; the libp2p nodes have no peer discovery and only the ping and identify
// services (see lib/libp2p-node.mjs), so nothing here reaches any address but the ones it dials itself.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { multiaddr } from '@multiformats/multiaddr';
import { createNode, generateIdentity, loadOrCreateIdentity } from '../dist/index.js';
import { createBenchLibp2p, SINK_PROTOCOL } from './lib/libp2p-node.mjs';
import { median } from './lib/measure.mjs';
import { emitJson } from './lib/emit.mjs';
import { formatTable } from './lib/table.mjs';

const RUNS = Number(process.env.BENCH_LIBP2P_RUNS ?? 25);
const CONNS = Number(process.env.BENCH_LIBP2P_CONNS ?? 20);
const WARMUP = 3;
const ROUNDS = 3;
const MIB = 1024 * 1024;
const TRANSFER_BYTES = Number(process.env.BENCH_LIBP2P_MIB ?? 128) * MIB; // per transfer, at most
const TRANSFER_MS = 1600; // per transfer, at most: ROUNDS x 3 cases stay under 15 s
const CHUNK = randomBytes(64 * 1024);
const HOST = '127.0.0.1';
const NODE_FIXTURE = fileURLToPath(new URL('../test/fixtures/node-process.mjs', import.meta.url));
const LIBP2P_FIXTURE = fileURLToPath(new URL('./lib/libp2p-node.mjs', import.meta.url));

const p90 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.9))];
const ms = (v) => v.toFixed(2);
const listen = (server) => new Promise((r) => server.listen(0, HOST, () => r(server.address().port)));
const tlsOptions = (id) => ({ key: id.keyPem, cert: id.certPem, minVersion: 'TLSv1.3', rejectUnauthorized: false });

/** Writes CHUNKs with backpressure until TRANSFER_BYTES or TRANSFER_MS; returns the bytes written. */
async function pump(write, waitDrain) {
  const deadline = performance.now() + TRANSFER_MS;
  let sent = 0;
  while (sent < TRANSFER_BYTES && performance.now() < deadline) {
    sent += CHUNK.length;
    if (!write(CHUNK)) await waitDrain();
  }
  return sent;
}

/** A byte-counting sink over node:net or node:tls, and the one-way transfer to it timed until the last byte lands. */
async function socketPair(name, tlsIds) {
  let onDone;
  const count = (s) => {
    let got = 0;
    s.on('data', (c) => { got += c.length; });
    s.on('end', () => { s.end(); onDone?.(got); });
  };
  const server = tlsIds ? tls.createServer({ ...tlsOptions(tlsIds[0]), requestCert: true }, count) : net.createServer(count);
  const port = await listen(server);
  const connect = () => new Promise((resolve, reject) => {
    const s = tlsIds
      ? tls.connect({ host: HOST, port, ...tlsOptions(tlsIds[1]), checkServerIdentity: () => undefined }, () => resolve(s))
      : net.connect(port, HOST, () => resolve(s));
    s.once('error', reject);
  });
  return {
    name,
    async transfer() {
      const s = await connect(); // connection setup untimed: this is the stream's throughput
      const received = new Promise((r) => { onDone = r; });
      const t0 = performance.now();
      await pump((c) => s.write(c), () => once(s, 'drain'));
      s.end();
      const got = await received;
      const elapsed = performance.now() - t0;
      s.destroy();
      return { bytes: got, ms: elapsed };
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

async function libp2pPair() {
  const server = await createBenchLibp2p();
  const client = await createBenchLibp2p({ listen: false });
  let onDone;
  await server.handle(SINK_PROTOCOL, async (stream) => {
    let got = 0;
    for await (const c of stream) got += c.byteLength;
    await stream.close();
    onDone?.(got);
  });
  const address = server.getMultiaddrs()[0];
  return {
    name: 'js-libp2p: one yamux stream over Noise over TCP',
    async transfer() {
      const stream = await client.dialProtocol(address, SINK_PROTOCOL); // connection reused, stream setup untimed
      const received = new Promise((r) => { onDone = r; });
      const t0 = performance.now();
      await pump((c) => stream.send(c), () => stream.onDrain());
      await stream.close();
      const got = await received;
      return { bytes: got, ms: performance.now() - t0 };
    },
    close: async () => { await client.stop(); await server.stop(); },
  };
}

async function throughput() {
  const ids = await Promise.all([generateIdentity(), generateIdentity()]);
  const cases = [await socketPair('raw TCP socket (baseline)'), await socketPair('node:tls TLS 1.3 socket (baseline)', ids), await libp2pPair()];
  const rates = new Map(cases.map((c) => [c, []]));
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const c of r % 2 ? [...cases].reverse() : cases) {
        const { bytes, ms: elapsed } = await c.transfer();
        rates.get(c).push(bytes / MIB / (elapsed / 1000));
      }
    }
  } finally {
    for (const c of cases) await c.close();
  }
  console.log(`## one-stream throughput (loopback, sender and receiver in this process, ${ROUNDS} interleaved transfers of up to ${TRANSFER_BYTES / MIB} MiB / ${TRANSFER_MS} ms each)\n`);
  console.log(formatTable(
    [{ key: 'name', title: 'case', align: 'left' }, { key: 'median', title: 'median MiB/s' }, { key: 'min', title: 'min MiB/s' }],
    cases.map((c) => ({ name: c.name, median: median(rates.get(c)).toFixed(0), min: Math.min(...rates.get(c)).toFixed(0) })),
  ));
  results.throughput = cases.map((c) => ({ name: c.name, medianMiBs: median(rates.get(c)) }));
  console.log('(our node has no raw stream API: its sessions carry messages, so its line is the node:tls socket it runs on)\n');
}

async function setupCases(dirs) {
  const ids = await Promise.all([generateIdentity(), generateIdentity()]);
  const tlsServer = tls.createServer({ ...tlsOptions(ids[0]), requestCert: true }, (s) => s.pipe(s));
  const tlsPort = await listen(tlsServer);

  const libp2pServer = await createBenchLibp2p();
  const libp2pAddress = libp2pServer.getMultiaddrs()[0];

  const base = await mkdtemp(join(tmpdir(), 'p2p-bench-libp2p-'));
  dirs.push(base);
  const common = { listen: { host: HOST, port: 0 }, lan: { enabled: false }, mesh: { targetDegree: 1 } };
  const ourServer = createNode({ ...common, dataDir: join(base, 'server'), name: 'server' });
  await ourServer.start();
  const ourAddress = ourServer.listenAddress();

  return [
    {
      name: 'node:tls mutual TLS 1.3 connect + echo (baseline)',
      async once() {
        const t0 = performance.now();
        await new Promise((resolve, reject) => {
          const s = tls.connect({ host: HOST, port: tlsPort, ...tlsOptions(ids[1]), checkServerIdentity: () => undefined }, () => s.write('x'));
          s.once('data', () => { s.destroy(); resolve(); });
          s.once('error', reject);
        });
        return performance.now() - t0;
      },
      close: () => new Promise((r) => tlsServer.close(r)),
    },
    {
      name: 'js-libp2p TCP + Noise + Yamux: dial + first ping',
      async once() {
        // A fresh client each run (created, started and stopped untimed), so no run reuses a connection.
        const client = await createBenchLibp2p({ listen: false });
        try {
          const t0 = performance.now();
          await client.services.ping.ping(libp2pAddress);
          return performance.now() - t0;
        } finally {
          await client.stop();
        }
      },
      close: () => libp2pServer.stop(),
    },
    {
      name: 'our node, TLS 1.3: connect + Hello + direct msg acked',
      async once() {
        const client = createNode({ ...common, dataDir: join(base, 'client'), name: 'client' });
        await client.start();
        try {
          const t0 = performance.now();
          await client.connect(ourAddress, ourServer.peerId);
          const result = await client.send(ourServer.peerId, 'first message', { timeoutMs: 5000 });
          const elapsed = performance.now() - t0;
          if (result.status !== 'delivered') throw new Error(`first message ${result.status}`);
          return elapsed;
        } finally {
          await client.stop();
        }
      },
      close: () => ourServer.stop(),
    },
  ];
}

async function setup(dirs) {
  const cases = await setupCases(dirs);
  const samples = new Map(cases.map((c) => [c, []]));
  try {
    // Warm-up rounds: libp2p runs a lot of code on a dial, and one round leaves much of it unoptimised.
    for (let r = 0; r < WARMUP; r++) for (const c of cases) await c.once();
    for (let r = 0; r < RUNS; r++) {
      for (const c of r % 2 ? [...cases].reverse() : cases) samples.get(c).push(await c.once());
    }
  } finally {
    for (const c of cases) await c.close();
  }
  console.log(`## session setup vs js-libp2p (loopback, ${RUNS} runs each, interleaved)\n`);
  console.log(formatTable(
    [{ key: 'name', title: 'case', align: 'left' }, { key: 'median', title: 'median ms' }, { key: 'p90', title: 'p90 ms' }],
    cases.map((c) => ({ name: c.name, median: ms(median(samples.get(c))), p90: ms(p90(samples.get(c))) })),
  ));
  console.log('');
  results.setup = cases.map((c) => ({ name: c.name, medianMs: median(samples.get(c)), p90Ms: p90(samples.get(c)) }));
}

/** Figures for the report (BENCH_JSON_DIR), filled by each part. */
const results = {};

function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Spawns a node script and resolves with its first stdout line that has "ready" (parsed), or rejects on exit. */
function spawnReady(args, children) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c) => {
      buf += c;
      const line = buf.split('\n').find((l) => l.includes('"ready"'));
      if (line) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}) before ready`)));
    setTimeout(() => reject(new Error(`${args[0]} not ready in 15 s`)), 15_000).unref();
  });
}

async function memory(dirs) {
  const base = await mkdtemp(join(tmpdir(), 'p2p-bench-libp2p-mem-'));
  dirs.push(base);
  // Our node starts with its identity already stored, as on every start after its first (see session.bench.mjs).
  await loadOrCreateIdentity(join(base, 'hub'));
  const children = [];
  const clients = [];
  try {
    const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(bare);
    const hubConfig = { dataDir: join(base, 'hub'), listen: { host: HOST, port: 0 }, lan: { enabled: false }, mesh: { maxConnections: CONNS + 5, maxInbound: CONNS + 5, targetDegree: 1 } };
    const [libp2pReady, hubReady] = await Promise.all([spawnReady([LIBP2P_FIXTURE], children), spawnReady([NODE_FIXTURE, JSON.stringify(hubConfig)], children)]);
    const libp2pAddress = multiaddr(libp2pReady.multiaddr);
    await new Promise((r) => setTimeout(r, 1500));
    const idle = { bare: rssOf(bare.pid), libp2p: rssOf(libp2pReady.pid), ours: rssOf(hubReady.pid) };

    for (let i = 0; i < CONNS; i++) {
      const l = await createBenchLibp2p({ listen: false });
      clients.push({ stop: () => l.stop(), connections: () => l.getConnections().length });
      await l.services.ping.ping(libp2pAddress); // dial, upgrade, identify and one ping: a live connection
      const o = createNode({ dataDir: join(base, `c${i}`), listen: { host: HOST, port: 0 }, lan: { enabled: false }, mesh: { targetDegree: 1 } });
      clients.push({ stop: () => o.stop(), connections: () => o.peers().length });
      await o.start();
      await o.connect(hubReady.address, hubReady.peerId);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const busy = { libp2p: rssOf(libp2pReady.pid), ours: rssOf(hubReady.pid) };
    const open = clients.filter((c) => c.connections() > 0).length;
    if (open !== 2 * CONNS) throw new Error(`only ${open} of ${2 * CONNS} client connections still open`);

    const kib = (v) => ((v * 1024) / CONNS).toFixed(0);
    results.memory = {
      connections: CONNS, bareMiB: idle.bare, idleMiB: { libp2p: idle.libp2p, ours: idle.ours },
      perConnectionKiB: { libp2p: ((busy.libp2p - idle.libp2p) * 1024) / CONNS, ours: ((busy.ours - idle.ours) * 1024) / CONNS },
    };
    console.log('## memory vs js-libp2p (RSS of separate processes)\n');
    console.log(formatTable(
      [{ key: 'what', title: 'memory (RSS)', align: 'left' }, { key: 'libp2p', title: 'js-libp2p' }, { key: 'ours', title: 'our node' }],
      [
        { what: 'bare node process (baseline), MiB', libp2p: idle.bare.toFixed(1), ours: idle.bare.toFixed(1) },
        { what: 'idle node process, MiB', libp2p: idle.libp2p.toFixed(1), ours: idle.ours.toFixed(1) },
        { what: `with ${CONNS} connections / sessions, MiB`, libp2p: busy.libp2p.toFixed(1), ours: busy.ours.toFixed(1) },
        { what: 'per connection / session, KiB', libp2p: kib(busy.libp2p - idle.libp2p), ours: kib(busy.ours - idle.ours) },
      ],
    ));
    console.log('');
  } finally {
    await Promise.allSettled(clients.map((c) => c.stop()));
    for (const c of children) c.kill('SIGKILL');
  }
}

/** js-libp2p beside our node: setup time, one-stream throughput and memory, each in the same run. */
export default async function run() {
  const dirs = [];
  try {
    await setup(dirs);
    await throughput();
    await memory(dirs);
    emitJson('core-libp2p', results);
  } finally {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}
