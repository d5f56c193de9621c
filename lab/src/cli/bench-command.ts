/**
 * `npm run bench`: runs every package's benchmarks with BENCH_JSON_DIR set (each writes its figures as JSON), then the
 * lab's own measurements (gossipsub at the broadcast bench's node count, discovery and failure detection with real
 * daemons, idle p2pd memory, the simulation sweep, a short soak), then writes bench/REPORT.md and its charts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGossipsub } from '../bench/gossipsub-bench.js';
import { measureDetection, measureDiscovery, measureIdleDaemon } from '../bench/lab-measure.js';
import { labSupport } from '../netns/privileges.js';
import { writeReport } from '../report/write-report.js';
import { sweep } from '../sim/sim-sweep.js';
import { runSoak } from '../soak/soak.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const env = (k: string, d: string) => process.env[k] ?? d;
const say = (line: string) => process.stdout.write(`${line}\n`);

function save(dir: string, name: string, data: unknown): void {
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ name, at: new Date().toISOString(), machine: { node: process.version }, ...(data as object) }, null, 2)}\n`);
}

/** Workspace folders whose package.json has a bench script (the lab's own figures come after). */
function benchPackages(): string[] {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return root.workspaces.filter((w) => w !== 'lab' && existsSync(join(ROOT, w, 'package.json')) && (JSON.parse(readFileSync(join(ROOT, w, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.bench);
}

async function step(notes: string[], what: string, fn: () => Promise<void>): Promise<void> {
  say(`\n== ${what}`);
  try {
    await fn();
  } catch (err) {
    notes.push(`${what} failed: ${(err as Error).message.split('\n')[0]}`);
    say(`${what} failed: ${(err as Error).stack}`);
  }
}

/** Runs everything and writes the report; resolves with the exit code (1 when a part failed to run). */
export async function benchMain(): Promise<number> {
  const started = new Date();
  const benchDir = join(ROOT, 'bench');
  const results = join(benchDir, 'results');
  mkdirSync(results, { recursive: true });
  const keepSoak = env('BENCH_SOAK_MINUTES', '5') === '0';
  // BENCH_ONLY=part,part reruns those parts and keeps the other results: packages (or one package folder, e.g.
  // packages/core), gossipsub, discovery, detection, idle, soak, sim.
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
  const want = (part: string) => !only || only.has(part);
  if (!only) for (const f of readdirSync(results)) if (!(keepSoak && f === 'lab-soak.json')) rmSync(join(results, f));
  const notes: string[] = [];

  for (const pkg of benchPackages().filter((p) => want('packages') || want(p))) {
    say(`\n== ${pkg}: npm run bench`);
    const r = spawnSync('npm', ['run', 'bench'], { cwd: join(ROOT, pkg), stdio: 'inherit', env: { ...process.env, BENCH_JSON_DIR: results } });
    if (r.status !== 0) notes.push(`${pkg}: npm run bench exited ${r.status}`);
  }
  const nodes = Number(env('BENCH_BROADCAST_NODES', '50'));
  if (want('gossipsub')) await step(notes, `gossipsub, ${nodes} nodes`, async () => {
    const g = await runGossipsub(nodes, Number(env('BENCH_BROADCAST_MESSAGES', '60')));
    say(JSON.stringify(g));
    save(results, 'lab-gossipsub', g);
  });
  if (labSupport().ok) {
    if (want('discovery')) await step(notes, 'discovery time', async () => {
      save(results, 'lab-discovery', { figures: await measureDiscovery(env('BENCH_DISCOVERY_HOSTS', '4,8,16').split(',').map(Number), say) });
    });
    if (want('detection')) await step(notes, 'failure detection', async () => {
      const hosts = 8;
      save(results, 'lab-detection', { hosts, figures: await measureDetection(hosts, say) });
    });
    if (want('idle')) await step(notes, 'idle p2pd memory', async () => {
      const idle = await measureIdleDaemon();
      say(JSON.stringify(idle));
      save(results, 'lab-idle', idle);
    });
    if (!keepSoak && want('soak')) {
      await step(notes, 'soak', async () => {
        const s = await runSoak({ minutes: Number(env('BENCH_SOAK_MINUTES', '5')), daemons: 4, progress: say });
        save(results, 'lab-soak', s);
      });
    }
  } else {
    notes.push(`lab parts skipped: ${labSupport().reason} (discovery, detection, idle p2pd memory and the soak need root)`);
  }
  if (want('sim')) await step(notes, 'simulation', async () => {
    const sizes = env('BENCH_SIM_NODES', '100,1000,10000').split(',').map(Number);
    const big = Math.max(...sizes);
    const rows = [
      ...sweep(sizes.filter((n) => n < big), {}, (row) => say(JSON.stringify(row))),
      ...sweep([big], { messages: 10 }, (row) => say(JSON.stringify(row))),
      ...sweep(sizes, { modes: ['plumtree'], latencies: ['wan'], messages: 10 }, (row) => say(JSON.stringify(row))),
    ];
    save(results, 'lab-sim', { rows });
  });
  // A partial run (BENCH_ONLY) dates the report by its result files, not as one run of everything.
  const md = writeReport(results, benchDir, { started, seconds: only ? 0 : (Date.now() - started.getTime()) / 1000, notes });
  say(`\nwrote bench/REPORT.md (${md.length} bytes)`);
  return notes.length ? 1 : 0;
}
