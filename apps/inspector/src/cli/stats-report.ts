import type { InspectedMessage, MessageEndpoint } from '../decode/message.js';
import type { InspectorStats } from '../decode/stats.js';
import { endpointLabel, type Colors } from './format-table.js';

/** Counts of messages per type and per peer pair. */
export interface MessageCounts {
  /** Messages by type. */
  byType: Map<string, number>;
  /** Messages by "source -> destination" label. */
  byPair: Map<string, number>;
  /** Bytes by "source -> destination" label. */
  bytesByPair: Map<string, number>;
}

/** Empty counters. */
export function createMessageCounts(): MessageCounts {
  return { byType: new Map(), byPair: new Map(), bytesByPair: new Map() };
}

/** A peer for the stats: its name and short ID when known (whatever connection it used), else its address. */
export function peerLabel(e: MessageEndpoint): string {
  if (e.peerId) return `${e.name || '?'} (${e.peerId.slice(0, 10)})`;
  return endpointLabel(e);
}

/** Adds one message to the counters. */
export function countMessage(counts: MessageCounts, m: InspectedMessage): void {
  counts.byType.set(m.type, (counts.byType.get(m.type) ?? 0) + 1);
  const pair = `${peerLabel(m.src)} -> ${peerLabel(m.dst)}`;
  counts.byPair.set(pair, (counts.byPair.get(pair) ?? 0) + 1);
  counts.bytesByPair.set(pair, (counts.bytesByPair.get(pair) ?? 0) + m.size);
}

/** The `--stats` report as text. */
export function formatStats(counts: MessageCounts, stats: InspectorStats, colors: Colors): string {
  const lines: string[] = [colors.bold('Messages per type')];
  for (const [type, n] of [...counts.byType].sort((a, b) => b[1] - a[1])) lines.push(`  ${type.padEnd(20)} ${String(n).padStart(8)}`);
  lines.push('', colors.bold('Messages per peer pair'));
  for (const [pair, n] of [...counts.byPair].sort((a, b) => b[1] - a[1])) {
    lines.push(`  ${pair.padEnd(70)} ${String(n).padStart(8)} msgs ${String(counts.bytesByPair.get(pair) ?? 0).padStart(10)} bytes`);
  }
  lines.push('', colors.bold('Capture'));
  for (const [k, v] of Object.entries(stats)) lines.push(`  ${k.padEnd(20)} ${String(v).padStart(8)}`);
  return lines.join('\n');
}

/** The `--stats --json` report. */
export function statsToJson(counts: MessageCounts, stats: InspectorStats): Record<string, unknown> {
  return {
    byType: Object.fromEntries(counts.byType),
    byPair: [...counts.byPair].map(([pair, messages]) => ({ pair, messages, bytes: counts.bytesByPair.get(pair) ?? 0 })),
    capture: stats,
  };
}
