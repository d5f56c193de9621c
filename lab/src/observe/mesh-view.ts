/** The mesh as the daemons report it: who is connected to whom, degrees, and connected components. */
import type { LabDaemon } from '../daemon/lab-daemon.js';

/** A snapshot of the mesh among some daemons. */
export interface MeshView {
  /** Peer IDs each daemon reports as connected, by the daemon's peer ID. */
  connected: Map<string, Set<string>>;
  /** Peer IDs each daemon knows at all (connected, known or dead), by the daemon's peer ID. */
  known: Map<string, Set<string>>;
  /** Connected components among the observed daemons (a link counts when either side reports it). */
  components: string[][];
}

/** Asks each daemon for its peer table and builds the view; a daemon that does not answer has no links. */
export async function meshView(daemons: readonly LabDaemon[]): Promise<MeshView> {
  const connected = new Map<string, Set<string>>();
  const known = new Map<string, Set<string>>();
  await Promise.all(daemons.map(async (d) => {
    const rows = await d.control.peers().catch(() => []);
    connected.set(d.peerId, new Set(rows.filter((r) => r.state === 'connected').map((r) => r.peerId!)));
    known.set(d.peerId, new Set(rows.filter((r) => r.state !== 'dead').map((r) => r.peerId!)));
  }));
  return { connected, known, components: components(daemons.map((d) => d.peerId), connected) };
}

/** Connected components of the undirected graph over `nodes` (edges outside `nodes` ignored). */
export function components(nodes: readonly string[], edges: Map<string, Set<string>>): string[][] {
  const inSet = new Set(nodes);
  const adj = new Map<string, Set<string>>(nodes.map((n) => [n, new Set<string>()]));
  for (const [a, bs] of edges) {
    if (!inSet.has(a)) continue;
    for (const b of bs) {
      if (!inSet.has(b)) continue;
      adj.get(a)!.add(b);
      adj.get(b)!.add(a);
    }
  }
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const start of nodes) {
    if (seen.has(start)) continue;
    const part = [start];
    seen.add(start);
    for (let i = 0; i < part.length; i++) {
      for (const b of adj.get(part[i]!)!) {
        if (!seen.has(b)) {
          seen.add(b);
          part.push(b);
        }
      }
    }
    out.push(part);
  }
  return out;
}

/** Degree each daemon should reach: its target (8 by default) or every other observed daemon, if fewer. */
export function targetDegree(observed: number, target = 8): number {
  return Math.min(target, observed - 1);
}

/** True when the observed daemons form one component and each is connected to at least `degree` of them. */
export function isHealed(view: MeshView, daemons: readonly LabDaemon[], degree: number): boolean {
  if (view.components.length !== 1) return false;
  const ids = new Set(daemons.map((d) => d.peerId));
  return daemons.every((d) => [...(view.connected.get(d.peerId) ?? [])].filter((p) => ids.has(p)).length >= degree);
}
