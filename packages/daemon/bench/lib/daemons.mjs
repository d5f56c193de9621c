// Spawns built p2pd processes for benchmarks: loopback only, LAN discovery off, a socket in the data directory.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectControl } from '@p2p/control';

const P2PD = fileURLToPath(new URL('../../dist/bin/p2pd.js', import.meta.url));

/** Starts p2pd with `args` on a fresh data directory under `root`; resolves once it logged readiness. */
export async function startBenchDaemon(root, name, args = []) {
  const dataDir = await mkdtemp(join(root, `${name}-`));
  const socket = join(dataDir, 'p2pd.sock');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('P2P_')));
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to node before the script: profiling a run.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, P2PD, '--data-dir', dataDir, '--name', name, '--listen', '127.0.0.1:0', '--no-lan',
    '--socket', socket, '--log-level', 'info', ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`p2pd ${name} not ready`)), 120_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"p2pd ready"'));
      if (line) { clearTimeout(timer); out = ''; resolve(JSON.parse(line)); }
      else if (out.length > 1e6) out = out.slice(-1e5);
    });
    proc.once('exit', (code) => reject(new Error(`p2pd ${name} exited with ${code}`)));
  });
  proc.stdout.resume();
  const client = await connectControl(socket);
  return {
    name, proc, dataDir, peerId: ready.peerId, listen: ready.listen, client,
    /** Resident set size now, bytes (from /proc). */
    async rss() {
      const status = await readFile(`/proc/${proc.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
    },
    async stop() {
      client.close();
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}
