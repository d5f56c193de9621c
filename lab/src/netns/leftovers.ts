/**
 * Finds and removes what a lab left behind: namespaces named by a lab whose owner process is gone (or by this
 * process), and every process still running inside them. Processes are found by namespace (`ip netns pids`), so
 * only processes the lab started are ever signalled.
 */
import { rmSync } from 'node:fs';
import { ipSync } from './ip.js';
import { labOwner } from './naming.js';

/** What teardown found or left. */
export interface Leftovers {
  /** Lab namespaces still present. */
  namespaces: string[];
  /** Processes still running inside them. */
  processes: number[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function listNamespaces(): string[] {
  try {
    return ipSync('netns', 'list').split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
  } catch {
    return [];
  }
}

/** Pids running in `namespace` (empty when it is gone). */
export function namespacePids(namespace: string): number[] {
  try {
    return ipSync('netns', 'pids', namespace).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Lab namespaces that belong to `owner` (default: this process) or to a lab process that no longer runs. */
export function findLeftovers(owner: number = process.pid, includeDeadOwners = true): Leftovers {
  const namespaces = listNamespaces().filter((ns) => {
    const pid = labOwner(ns);
    if (pid === undefined) return false;
    return pid === owner || (includeDeadOwners && pid !== process.pid && !alive(pid));
  });
  return { namespaces, processes: namespaces.flatMap(namespacePids) };
}

/**
 * Kills every process in the given namespaces (SIGKILL, by pid), then deletes the namespaces; the veth pairs and
 * bridges inside go with them. Synchronous, so it also runs from an exit handler. Returns what is still left.
 */
export function removeNamespaces(namespaces: string[]): Leftovers {
  for (const ns of namespaces) {
    for (const pid of namespacePids(ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const ns of namespaces) {
    try {
      ipSync('netns', 'del', ns);
    } catch {
      // already gone
    }
  }
  const still = new Set(listNamespaces());
  const namespacesLeft = namespaces.filter((ns) => still.has(ns));
  return { namespaces: namespacesLeft, processes: namespacesLeft.flatMap(namespacePids) };
}

/** Removes the leftovers of this process and of dead lab processes, and their data directories. */
export function cleanLeftovers(dataDirs: string[] = []): Leftovers {
  const found = findLeftovers();
  const left = removeNamespaces(found.namespaces);
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  return left;
}
