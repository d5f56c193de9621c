/**
 * Hostile: the last host runs an attacker instead of a daemon (floods of valid broadcasts and junk envelopes over real
 * sessions, half-open and garbage TCP connections, garbage discovery datagrams) while the other daemons exchange
 * broadcasts and directs. They must see no loss and no duplicate, keep running, and keep their mesh.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabUsageError } from '../errors.js';
import type { HostilePlan, HostileReport } from '../hostile/hostile-plan.js';
import type { Lab } from '../lab.js';
import { LAB_PREFIX } from '../netns/naming.js';
import type { SentMessage } from '../observe/traffic.js';
import { sleep } from '../observe/wait.js';
import { ensureMesh, trafficRound, waitForDeliveries, waitHealed } from './mesh-steps.js';
import type { Progress, ScenarioOutcome } from './types.js';

/** The compiled attacker (from src/ under vitest or dist/ when built, it is always the built one). */
const HOSTILE_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'hostile', 'hostile-host.js');

/** Options of the hostile scenario. */
export interface HostileOptions {
  /** Good traffic rounds during the attack; default 12. */
  rounds?: number;
  /** Overrides of the attack plan. */
  plan?: Partial<HostilePlan>;
  progress?: Progress;
}

/** Runs the attack from the lab's last host against daemons on the others. */
export async function runHostile(lab: Lab, opts: HostileOptions = {}): Promise<ScenarioOutcome> {
  const say = opts.progress ?? (() => {});
  const hosts = lab.network.hosts;
  if (hosts.length < 3) throw new LabUsageError('hostile needs at least 3 hosts (2 daemons and the attacker)');
  const attacker = hosts[hosts.length - 1]!;
  if (lab.daemons[attacker.index - 1]) throw new LabUsageError(`host ${attacker.index} runs a daemon; the attacker needs it free`);
  const daemons = await ensureMesh(lab, hosts.slice(0, -1));
  const dataDir = mkdtempSync(join(tmpdir(), `${LAB_PREFIX}-hostile-`));
  const plan: HostilePlan = {
    self: attacker.address, broadcast: '10.77.255.255', discoveryPort: 7071, dataDir,
    targets: daemons.map((d) => ({ host: d.host.address, port: 7070, peerId: d.peerId })),
    floodBroadcasts: 2000, junkEnvelopes: 300, halfOpenPerTarget: 24, garbageConnectionsPerTarget: 10, garbageDatagrams: 300,
    durationMs: 20_000, ...opts.plan,
  };
  say(`hostile: host ${attacker.index} attacks ${daemons.length} daemons`);
  const proc = spawn('ip', ['netns', 'exec', attacker.namespace, process.execPath, HOSTILE_BIN, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c) => (out += c));
  proc.stderr.on('data', (c) => (err += c));
  const exited = once(proc, 'exit');
  const sent: SentMessage[] = [];
  const rounds: Promise<SentMessage[]>[] = [];
  try {
    for (let r = 0; r < (opts.rounds ?? 12); r++) {
      rounds.push(trafficRound(daemons));
      await sleep(300);
    }
    sent.push(...(await Promise.all(rounds)).flat());
    await Promise.race([exited, sleep(plan.durationMs + 15_000)]);
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  let attack: HostileReport | undefined;
  try {
    attack = JSON.parse(out.trim().split('\n').pop() ?? '') as HostileReport;
  } catch {
    say(`hostile: the attacker reported nothing: ${err.slice(-500)}`);
  }
  say(`hostile: attack done ${JSON.stringify(attack ?? {})}`);
  const { missing, unacknowledged, ...counts } = await waitForDeliveries(sent, daemons);
  const alive = daemons.filter((d) => d.state === 'running' && d.pid > 0 && isAlive(d.pid)).length;
  const healed = alive === daemons.length && (await waitHealed(daemons, 60_000).then(() => true, () => false));
  return {
    ...counts, healed, detectMs: null, convergeMs: null,
    details: { unacknowledged, daemons: daemons.length, daemonsAlive: alive, attack, missing },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
