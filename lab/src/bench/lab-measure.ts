/**
 * Figures the report takes from the network lab (real p2pd processes in namespaces): discovery time for N hosts
 * (LAN alone, seeds alone), failure detection time (SIGKILL, SIGSTOP, a cut link), and the RSS of an idle p2pd beside
 * a bare Node process started the same way in the same run.
 */
import { spawn } from 'node:child_process';
import { createLab } from '../lab.js';
import { sleep } from '../observe/wait.js';
import { runDiscovery } from '../scenarios/discovery.js';
import { running, waitHealed, waitNoticed } from '../scenarios/mesh-steps.js';
import { rssOf } from '../soak/sample-memory.js';

/** Discovery time for one host count and mode. */
export interface DiscoveryFigure {
  hosts: number;
  mode: 'lan' | 'seeds';
  /** From the last daemon ready until one mesh at target degree, ms. */
  afterLastReadyMs: number;
  /** From the first start until one mesh, ms (includes starting the daemons a few at a time). */
  totalMs: number;
}

/** Detection time of one kind of failure: until every other daemon dropped the failed one. */
export interface DetectionFigure {
  fault: 'kill' | 'freeze' | 'cut';
  ms: number;
}

/** Measures discovery for each host count, both modes. */
export async function measureDiscovery(hostCounts: readonly number[], say: (l: string) => void): Promise<DiscoveryFigure[]> {
  const out: DiscoveryFigure[] = [];
  for (const hosts of hostCounts) {
    const lab = await createLab({ hosts });
    try {
      for (const mode of ['lan', 'seeds'] as const) {
        const r = await runDiscovery(lab, { mode });
        out.push({ hosts, mode, afterLastReadyMs: r.details.afterLastReadyMs as number, totalMs: r.convergeMs ?? NaN });
        say(`discovery ${mode} ${hosts} hosts: ${r.details.afterLastReadyMs} ms after the last daemon was ready`);
        await lab.stopAll();
      }
    } finally {
      await lab.destroy();
    }
  }
  return out;
}

/** Measures detection of each fault on a mesh of `hosts` daemons (each fault on a different daemon). */
export async function measureDetection(hosts: number, say: (l: string) => void): Promise<DetectionFigure[]> {
  const lab = await createLab({ hosts });
  const out: DetectionFigure[] = [];
  try {
    await lab.startAll();
    const daemons = running(lab);
    await waitHealed(daemons, 90_000);
    const faults: [DetectionFigure['fault'], (i: number) => Promise<void>][] = [
      ['kill', (i) => daemons[i]!.kill()],
      ['freeze', async (i) => daemons[i]!.freeze()],
      ['cut', (i) => lab.network.cut(daemons[i]!.host)],
    ];
    for (const [k, [fault, inject]] of faults.entries()) {
      const victim = daemons[daemons.length - 1 - k]!;
      const others = daemons.filter((d, i) => i < daemons.length - faults.length);
      await sleep(1000);
      const t0 = Date.now();
      await inject(daemons.indexOf(victim));
      await waitNoticed(others, [victim], 60_000);
      out.push({ fault, ms: Date.now() - t0 });
      say(`detection ${fault}: ${out.at(-1)!.ms} ms`);
    }
  } finally {
    await lab.destroy();
  }
  return out;
}

/** RSS of an idle p2pd (one host alone, after `settleMs`) beside a bare `node` process in the same kind of namespace. */
export async function measureIdleDaemon(settleMs = 15_000): Promise<{ p2pdMiB: number; bareNodeMiB: number }> {
  const lab = await createLab({ hosts: 2 });
  try {
    const d = await lab.start(lab.network.hosts[0]!);
    const h2 = lab.network.hosts[1]!;
    const bare = spawn('ip', ['netns', 'exec', h2.namespace, process.execPath, '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await sleep(settleMs);
    const result = { p2pdMiB: rssOf(d.pid) / 1048576, bareNodeMiB: rssOf(bare.pid!) / 1048576 };
    bare.kill('SIGKILL');
    return result;
  } finally {
    await lab.destroy();
  }
}
