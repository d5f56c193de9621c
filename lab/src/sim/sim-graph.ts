/** Random overlays for the simulation: connected, with every node's degree in a range, as the mesh keeps it. */
import { randomConnectedGraph } from '@p2p/core/testing';

/** A random connected overlay (core's randomConnectedGraph), as arrays for the simulation's hot loops. */
export function randomOverlay(n: number, minDegree: number, maxDegree: number, random: () => number): Uint32Array[] {
  return randomConnectedGraph(n, minDegree, maxDegree, random).map((s) => Uint32Array.from(s));
}

/** Nodes reachable from `start` through nodes for which `alive` is true. */
export function reachable(adj: readonly Uint32Array[], start: number, alive: (i: number) => boolean): Uint8Array {
  const seen = new Uint8Array(adj.length);
  seen[start] = 1;
  const stack = [start];
  while (stack.length > 0) {
    const a = stack.pop()!;
    for (const b of adj[a]!) {
      if (!seen[b] && alive(b)) {
        seen[b] = 1;
        stack.push(b);
      }
    }
  }
  return seen;
}
