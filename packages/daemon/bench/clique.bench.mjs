// The server clique beside ngircd, in the same run and with the same pattern of lines (nothing leaves 127.0.0.1):
//  - latency: a client on one server sends a line to a client on another server, waits for it to arrive, repeats
//    (p50/p99 of send -> receive, both ends in this process);
//  - throughput: 100 clients on one server, each sending BENCH_CLIQUE_LINES lines (default 1,000) at once to the
//    next client; lines/s from the first line written to the last one received. 100,000 lines take long enough
//    (~0.5 s) to measure a sustained rate: 10,000 pass in ~0.1 s, where one scheduler hiccup on 2 cores moves
//    either figure by a third, and which counts each client's one-off costs (its first signature checks, a JIT
//    warming up) as much as its lines.
// ngircd runs as two linked servers with penalties and per-IP limits off (MaxPenaltyTime = 0), and p2pd servers
// with their line rate raised, so both measure the servers, not their flood control. Our lines travel over TLS
// 1.3 and carry an ECDSA signature (one per burst of lines a client writes in one turn to one recipient, sent as
// one CliqueLines), checked by the client's server and by the recipient; IRC lines are plaintext and unsigned. The bench process
// itself plays all 100 clients: it signs what they send and checks every line they receive.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCliqueClient, generateIdentity } from '@p2p/core';
import { emitJson } from '../../core/bench/lib/emit.mjs';

const P2PD = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin', 'p2pd.js');
const ROUNDS = Number(process.env.BENCH_CLIQUE_ROUNDS ?? 500);
// Rounds before the measured ones, for both servers alike: ours runs on a JIT, which needs a few hundred lines.
const WARMUP = Number(process.env.BENCH_CLIQUE_WARMUP ?? 500);
const CLIENTS = Number(process.env.BENCH_CLIQUE_CLIENTS ?? 100);
const LINES = Number(process.env.BENCH_CLIQUE_LINES ?? 1000);
const TEXT = 'a line of chat of about the usual length, with a few words in it';
const children = [];

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
async function until(check, ms, what) {
  const end = Date.now() + ms;
  while (!(await check())) { if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`); await sleep(50); }
}

// ---------- p2pd ----------
async function p2pd(dir, name, args) {
  const proc = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), P2PD, '--data-dir', join(dir, name), '--name', name, '--role', 'server', '--no-lan',
    '--listen', '127.0.0.1:0', '--clique-listen', '127.0.0.1:0', '--clique-line-rate', '1000000', '--clique-max-clients', '10000',
    '--log-level', 'info', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(proc);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"p2pd ready"'));
      if (!line) return;
      // Its logs are read and dropped from here on: keeping and re-splitting them would cost this process (the
      // clients) more with every line logged.
      proc.stdout.off('data', onData);
      proc.stdout.resume();
      const r = JSON.parse(line);
      resolve({ proc, listen: r.listen, clique: r.clique });
    };
    proc.stdout.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`p2pd ${name} exited ${code}`)));
  });
}
/** CPU time (user + system, ms) a process has used so far, from /proc: a figure the machine's other load does not bend. */
const cpuMs = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch { return NaN; }
};
const hp = (s) => ({ host: s.slice(0, s.lastIndexOf(':')), port: Number(s.slice(s.lastIndexOf(':') + 1)) });

async function cliqueClient(server, name) {
  const c = createCliqueClient({ servers: [hp(server.clique)], name, identity: await generateIdentity(), reconnect: false });
  await c.connect();
  return c;
}

async function cliqueRun(dir) {
  const a = await p2pd(dir, 'srv-a', []);
  const b = await p2pd(dir, 'srv-b', ['--clique', a.listen]);
  const alice = await cliqueClient(a, 'alice');
  const bob = await cliqueClient(b, 'bob');
  let onLine = () => {};
  bob.on('line', () => onLine());
  await until(async () => (await alice.send('bob', 'warm up', { timeoutMs: 2000 })).status === 'delivered', 30_000, 'the clique of two');
  const lat = [];
  for (let i = 0; i < ROUNDS + WARMUP; i++) {
    const arrived = new Promise((r) => { onLine = r; });
    const t0 = performance.now();
    void alice.send('bob', TEXT);
    await Promise.race([arrived, sleep(5000).then(() => { throw new Error(`clique: line ${i} did not arrive`); })]);
    if (i >= WARMUP) lat.push(performance.now() - t0);
  }
  await alice.close();
  await bob.close();

  process.stderr.write(`clique latency done (${lat.length})\n`);
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(await cliqueClient(a, `c${i}`));
  process.stderr.write('clique clients up\n');
  let received = 0;
  let done = () => {};
  const all = new Promise((r) => { done = r; });
  for (const c of clients) c.on('line', () => { if (++received === CLIENTS * LINES) done(); });
  const cpu0 = cpuMs(a.proc.pid);
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  // Each client writes its lines in one go; the event loop turns between clients, as it would between processes
  // (signing 10,000 lines without a break would starve every session of this process, pings included).
  for (let i = 0; i < CLIENTS; i++) {
    for (let k = 0; k < LINES; k++) void clients[i].send(`c${(i + 1) % CLIENTS}`, TEXT, { timeoutMs: 60_000 });
    await new Promise((r) => setImmediate(r));
  }
  await Promise.race([all, sleep(120_000)]);
  const ms = performance.now() - t0;
  const cpu = cpuMs(a.proc.pid) - cpu0;
  const self = process.cpuUsage(self0);
  process.stderr.write(`clique clients (this process): ${Math.round(received / ((self.user + self.system) / 1e6))} lines per CPU-second\n`);
  await Promise.all(clients.map((c) => c.close()));
  a.proc.kill('SIGTERM');
  b.proc.kill('SIGTERM');
  return { lat, rate: (received / ms) * 1000, received, perCpuSecond: (received / cpu) * 1000 };
}

// ---------- ngircd ----------
function ircConf(dir, name, port, peer, peerPort, passive) {
  return `[Global]\nName = ${name}\nInfo = bench\nListen = 127.0.0.1\nPorts = ${port}\nPidFile = ${join(dir, `${name}.pid`)}\nMotdPhrase = bench\n`
    + '[Limits]\nMaxConnections = 0\nMaxConnectionsIP = 0\nMaxPenaltyTime = 0\nMaxNickLength = 30\nPingTimeout = 600\n'
    + '[Options]\nDNS = no\nIdent = no\nPAM = no\n'
    + `[Server]\nName = ${peer}\nHost = 127.0.0.1\nPort = ${peerPort}\nMyPassword = ${passive ? 'pb' : 'pa'}\nPeerPassword = ${passive ? 'pa' : 'pb'}\nPassive = ${passive ? 'yes' : 'no'}\n`;
}

/** A minimal IRC client: registers, answers PING, and reports PRIVMSGs. */
function ircClient(port, nick) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    let buf = '';
    const c = { sock, onMsg: () => {}, onNumeric: () => {}, send: (line) => sock.write(`${line}\r\n`), close: () => sock.end('QUIT\r\n') };
    sock.on('error', reject);
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line.startsWith('PING ')) { sock.write(`PONG ${line.slice(5)}\r\n`); continue; }
        const parts = line.split(' ');
        if (parts[1] === '001') resolve(c);
        else if (parts[1] === '433') reject(new Error(`nick ${nick} taken`));
        else if (parts[1] === 'PRIVMSG') c.onMsg(line);
        else if (/^\d{3}$/.test(parts[1] ?? '')) c.onNumeric(parts[1], line);
      }
    });
    sock.on('connect', () => sock.write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`));
  });
}

async function ngircdRun(dir) {
  let irc1;
  const [p1, p2] = [await freePort(), await freePort()];
  await writeFile(join(dir, 'irc1.conf'), ircConf(dir, 'irc1.bench', p1, 'irc2.bench', p2, false));
  await writeFile(join(dir, 'irc2.conf'), ircConf(dir, 'irc2.bench', p2, 'irc1.bench', p1, true));
  for (const n of ['irc2', 'irc1']) {
    const proc = spawn('ngircd', ['-n', '-f', join(dir, `${n}.conf`)], { stdio: ['ignore', 'ignore', 'ignore'] });
    children.push(proc);
    if (n === 'irc1') irc1 = proc;
  }
  await until(async () => { try { (await ircClient(p1, 'probe')).close(); return true; } catch { return false; } }, 15_000, 'ngircd up');
  const alice = await ircClient(p1, 'alice');
  const bob = await ircClient(p2, 'bob');
  // Linked once alice's server knows bob.
  await until(() => new Promise((resolve) => {
    alice.onNumeric = (code, line) => { if (code === '303') resolve(line.includes('bob')); };
    alice.send('ISON bob');
  }), 30_000, 'the ngircd link');
  const lat = [];
  for (let i = 0; i < ROUNDS + WARMUP; i++) {
    const arrived = new Promise((r) => { bob.onMsg = r; });
    const t0 = performance.now();
    alice.send(`PRIVMSG bob :${TEXT}`);
    await Promise.race([arrived, sleep(5000).then(() => { throw new Error(`ngircd: line ${i} did not arrive`); })]);
    if (i >= WARMUP) lat.push(performance.now() - t0);
  }
  alice.close();
  bob.close();

  const clients = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(await ircClient(p1, `c${i}`));
  let received = 0;
  let done = () => {};
  const all = new Promise((r) => { done = r; });
  for (const c of clients) c.onMsg = () => { if (++received === CLIENTS * LINES) done(); };
  const cpu0 = cpuMs(irc1.pid);
  const t0 = performance.now();
  for (let i = 0; i < CLIENTS; i++) {
    for (let k = 0; k < LINES; k++) clients[i].send(`PRIVMSG c${(i + 1) % CLIENTS} :${TEXT}`);
    await new Promise((r) => setImmediate(r));
  }
  await Promise.race([all, sleep(120_000)]);
  const ms = performance.now() - t0;
  const cpu = cpuMs(irc1.pid) - cpu0;
  for (const c of clients) c.close();
  return { lat, rate: (received / ms) * 1000, received, perCpuSecond: (received / cpu) * 1000 };
}

const dir = await mkdtemp(join(tmpdir(), 'clique-bench-'));
try {
  const hasNgircd = spawnSync('ngircd', ['--version']).status === 0;
  const ours = await cliqueRun(dir);
  const irc = hasNgircd ? await ngircdRun(dir) : undefined;
  const f = (x) => x.toFixed(2);
  console.log(`server clique: ${ROUNDS} lines client -> client across two servers (after ${WARMUP} unmeasured); ${CLIENTS} clients x ${LINES} lines on one server`);
  console.log(`  p2pd clique (TLS, signed lines): latency p50 ${f(pct(ours.lat, 50))} ms  p99 ${f(pct(ours.lat, 99))} ms;  ${Math.round(ours.rate)} lines/s (${ours.received}/${CLIENTS * LINES}); ${Math.round(ours.perCpuSecond)} lines per CPU-second of the server`);
  if (irc) console.log(`  ngircd (two linked servers):     latency p50 ${f(pct(irc.lat, 50))} ms  p99 ${f(pct(irc.lat, 99))} ms;  ${Math.round(irc.rate)} lines/s (${irc.received}/${CLIENTS * LINES}); ${Math.round(irc.perCpuSecond)} lines per CPU-second of the server`);
  else console.log('  ngircd: not installed (apt-get install ngircd), no baseline');
  const row = (name, r) => ({ case: name, 'latency p50 ms': pct(r.lat, 50), 'latency p99 ms': pct(r.lat, 99), 'lines/s': r.rate, 'lines per server CPU-second': r.perCpuSecond, received: `${r.received}/${CLIENTS * LINES}` });
  emitJson('clique-latency', {
    title: 'Clique latency and throughput vs ngircd',
    rows: [row('p2pd clique (TLS, signed lines)', ours), ...(irc ? [row('ngircd, two linked servers (baseline)', irc)] : [])],
    note: `${ROUNDS} lines client -> client across two servers (latency); ${CLIENTS} clients x ${LINES} lines on one server (throughput).${irc ? '' : ' ngircd not installed: no baseline in this run.'}`,
  });
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
// Client timers (delivery timeouts of lines already answered) must not hold the run open.
process.exit(0);
