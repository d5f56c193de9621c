/** The simulation sweep the report shows: N in {100, 1,000, 10,000}, with and without 20% failing, Plumtree and flooding. */
import { simulate, type SimParams, type SimResult } from './simulate.js';

/** Latency profiles: a LAN (1-5 ms per hop) and a wide-area overlay (20-80 ms per hop). */
export const LATENCY = { lan: { minMs: 1, maxMs: 5 }, wan: { minMs: 20, maxMs: 80 } } as const;

/** One row of the sweep: the parameters and what they gave. */
export interface SweepRow extends SimResult {
  latency: keyof typeof LATENCY;
}

/** Runs every combination; `onRow` sees each result as it comes (a 10,000-node run takes a while). */
export function sweep(
  nodes: readonly number[],
  opts: { failRatios?: readonly number[]; modes?: readonly SimParams['mode'][]; latencies?: readonly (keyof typeof LATENCY)[]; messages?: number; seed?: number },
  onRow: (row: SweepRow) => void = () => {},
): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const n of nodes) {
    for (const latency of opts.latencies ?? ['lan']) {
      for (const failRatio of opts.failRatios ?? [0, 0.2]) {
        for (const mode of opts.modes ?? ['plumtree', 'flood']) {
          const row: SweepRow = {
            latency,
            ...simulate({ nodes: n, mode, failRatio, latency: LATENCY[latency], seed: opts.seed ?? 7, ...(opts.messages ? { messages: opts.messages } : {}) }),
          };
          rows.push(row);
          onRow(row);
        }
      }
    }
  }
  return rows;
}
