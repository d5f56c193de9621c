/**
 * A lab: the network of N hosts plus a p2pd on each, with one teardown that leaves nothing behind (namespaces,
 * links, processes, data directories), also when the process is interrupted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabDaemon, type LabDaemon } from './daemon/lab-daemon.js';
import { LabNotPermittedError } from './errors.js';
import { createLabNetwork, type LabHost, type LabNetwork } from './netns/lab-network.js';
import { findLeftovers, type Leftovers } from './netns/leftovers.js';
import { LAB_PREFIX } from './netns/naming.js';
import { labSupport } from './netns/privileges.js';
import { onTeardown } from './teardown-guard.js';

/** A running lab. */
export interface Lab {
  readonly network: LabNetwork;
  /** The daemon of each host (index order); undefined where none was started. */
  readonly daemons: (LabDaemon | undefined)[];
  /**
   * Starts p2pd on a host (extra flags in `args`) and records it. `variant` names a separate data directory, for a
   * daemon that must not remember what an earlier one on the same host learned.
   */
  start(host: LabHost, args?: string[], variant?: string): Promise<LabDaemon>;
  /** The data directory a daemon on `host` uses (or will use), inside the lab's own directory removed at teardown. */
  dataDirOf(host: LabHost, variant?: string): string;
  /** Starts p2pd on `hosts` (default: every host), a few at a time. */
  startAll(args?: (host: LabHost) => string[], variant?: string, hosts?: readonly LabHost[]): Promise<LabDaemon[]>;
  /** Stops every running daemon (goodbyes), keeping the network. */
  stopAll(): Promise<void>;
  /** Stops every daemon, deletes the network and the data directories; returns what is left behind (must be empty). */
  destroy(): Promise<Leftovers>;
}

/** Options of createLab. */
export interface LabInit {
  hosts: number;
  /** Daemons started at once by startAll; default 4 (each start is a second of CPU). */
  startParallel?: number;
}

/** Creates the network; throws LabNotPermittedError without root or iproute2. */
export async function createLab(init: LabInit): Promise<Lab> {
  const support = labSupport();
  if (!support.ok) throw new LabNotPermittedError(support.reason ?? 'unknown');
  const dataRoot = mkdtempSync(join(tmpdir(), `${LAB_PREFIX}-`));
  const network = await createLabNetwork({ hosts: init.hosts });
  const daemons: (LabDaemon | undefined)[] = network.hosts.map(() => undefined);
  let destroyed = false;
  const removeAll = (): Leftovers => {
    destroyed = true;
    const left = network.destroy();
    rmSync(dataRoot, { recursive: true, force: true });
    return left;
  };
  const unregister = onTeardown(() => void removeAll());

  const lab: Lab = {
    network,
    daemons,
    dataDirOf: (host, variant = '') => join(dataRoot, `h${host.index}${variant}`),
    async start(host, args = [], variant = '') {
      const daemon = await startLabDaemon({ host, mask: network.mask, dataDir: lab.dataDirOf(host, variant), args });
      daemons[host.index - 1] = daemon;
      return daemon;
    },
    async startAll(args = () => [], variant = '', hosts = network.hosts) {
      const parallel = init.startParallel ?? 4;
      const started: LabDaemon[] = [];
      for (let i = 0; i < hosts.length; i += parallel) {
        started.push(...(await Promise.all(hosts.slice(i, i + parallel).map((h) => lab.start(h, args(h), variant)))));
      }
      return started;
    },
    async stopAll() {
      await Promise.allSettled(daemons.map((d) => (d && (d.state === 'running' || d.state === 'frozen') ? d.stop() : undefined)));
      daemons.fill(undefined);
    },
    async destroy() {
      if (destroyed) return findLeftovers(process.pid, false);
      // Goodbyes first (bounded: stop() escalates to SIGKILL), then the namespaces go with anything still inside.
      await Promise.allSettled(daemons.map((d) => (d && (d.state === 'running' || d.state === 'frozen') ? d.stop() : undefined)));
      const pids = daemons.flatMap((d) => (d ? [d.pid] : []));
      const left = removeAll();
      unregister();
      const running = pids.filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } });
      return { namespaces: left.namespaces, processes: [...new Set([...left.processes, ...running])] };
    },
  };
  return lab;
}
