// Memory of p2pd as an operator runs it (the built binary, a stored identity, LAN discovery off, 127.0.0.1 only):
// VmRSS of the idle daemon after warm-up, beside a bare `node` process started in the same run, then RSS per TLS
// session with BENCH_MEMORY_SESSIONS clients connected. Targets (issue 13): idle at most 60 MiB, at most 80 KiB
// per session. RSS is read from /proc/PID/status.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNode, loadOrCreateIdentity } from '@p2p/core';
import { emitJson } from '../../core/bench/lib/emit.mjs';

const SESSIONS = Number(process.env.BENCH_MEMORY_SESSIONS ?? 40);
const SETTLE_MS = Number(process.env.BENCH_MEMORY_SETTLE_MS ?? 3000);
const P2PD = fileURLToPath(new URL('../dist/bin/p2pd.js', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

const base = await mkdtemp(join(tmpdir(), 'p2pd-bench-mem-'));
const children = [];
try {
  // As on every start after the first: the identity exists (creating one loads the x509 code, once).
  await loadOrCreateIdentity(join(base, 'd'));
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(bare);
  const daemon = spawn(process.execPath, [P2PD, '--data-dir', join(base, 'd'), '--name', 'bench', '--listen', '127.0.0.1:0',
    '--interface', '127.0.0.1', '--mask', '255.0.0.0', '--no-lan'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  children.push(daemon);
  const ready = await new Promise((resolve, reject) => {
    let text = '';
    daemon.stdout.on('data', (c) => {
      text += c;
      const line = text.split('\n').find((l) => l.includes('"p2pd ready"'));
      if (line) resolve(JSON.parse(line));
    });
    daemon.once('exit', (code) => reject(new Error(`p2pd exited (${code})`)));
  });
  daemon.stdout.resume();
  await sleep(SETTLE_MS);
  const bareKiB = rssKiB(bare.pid);
  const idleKiB = rssKiB(daemon.pid);
  const [host, port] = ready.listen.split(':');
  const clients = [];
  for (let i = 0; i < SESSIONS; i++) {
    const c = createNode({ dataDir: join(base, `c${i}`), listen: { host: '127.0.0.1', port: 0 }, lan: { enabled: false }, mesh: { targetDegree: 1 } });
    await c.start();
    await c.connect({ host, port: Number(port) }, ready.peerId);
    clients.push(c);
  }
  await sleep(SETTLE_MS);
  const busyKiB = rssKiB(daemon.pid);
  await Promise.all(clients.map((c) => c.stop()));
  const perSessionKiB = (busyKiB - idleKiB) / SESSIONS;
  const mib = (k) => (k / 1024).toFixed(1);
  console.log(`p2pd memory (VmRSS, ${SETTLE_MS} ms after ready; ${SESSIONS} TLS sessions)`);
  console.log(`  bare node process (baseline, same run): ${mib(bareKiB)} MiB`);
  console.log(`  idle p2pd:                              ${mib(idleKiB)} MiB  (target <= 60 MiB: ${idleKiB <= 60 * 1024 ? 'met' : 'not met'})`);
  console.log(`  p2pd with ${SESSIONS} sessions:                 ${mib(busyKiB)} MiB`);
  console.log(`  per session:                            ${perSessionKiB.toFixed(1)} KiB  (target <= 80 KiB: ${perSessionKiB <= 80 ? 'met' : 'not met'})`);
  emitJson('daemon-memory', { sessions: SESSIONS, bareMiB: bareKiB / 1024, idleMiB: idleKiB / 1024, busyMiB: busyKiB / 1024, perSessionKiB, targets: { idleMiB: 60, perSessionKiB: 80 } });
} finally {
  for (const c of children) c.kill('SIGKILL');
  await rm(base, { recursive: true, force: true });
}
