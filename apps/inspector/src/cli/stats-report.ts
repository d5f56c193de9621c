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
  /** Clique traffic by client name: lines written, lines addressed to it, other clique messages naming it. */
  byClient: Map<string, { linesFrom: number; linesTo: number; other: number }>;
}

/** Empty counters. */
export function createMessageCounts(): MessageCounts {
  return { byType: new Map(), byPair: new Map(), bytesByPair: new Map(), byClient: new Map() };
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
  for (const name of m.clique?.clients ?? []) {
    let c = counts.byClient.get(name);
    if (!c) counts.byClient.set(name, (c = { linesFrom: 0, linesTo: 0, other: 0 }));
    const op = m.clique!.op;
    const line = op === 'message' || op === 'lines' ? (m.fields[op] as { from?: string; to?: string } | undefined) : undefined;
    const n = m.clique!.lines ?? 1;
    if (line?.from === name) c.linesFrom += n;
    else if (line?.to === name) c.linesTo += n;
    else c.other++;
  }
}

/** The `--stats` report as text. */
export function formatStats(counts: MessageCounts, stats: InspectorStats, colors: Colors): string {
  const lines: string[] = [colors.bold('Messages per type')];
  for (const [type, n] of [...counts.byType].sort((a, b) => b[1] - a[1])) lines.push(`  ${type.padEnd(20)} ${String(n).padStart(8)}`);
  lines.push('', colors.bold('Messages per peer pair'));
  for (const [pair, n] of [...counts.byPair].sort((a, b) => b[1] - a[1])) {
    lines.push(`  ${pair.padEnd(70)} ${String(n).padStart(8)} msgs ${String(counts.bytesByPair.get(pair) ?? 0).padStart(10)} bytes`);
  }
  if (counts.byClient.size > 0) {
    lines.push('', colors.bold('Clique traffic per client name (a line relayed between servers counts at each hop)'));
    for (const [name, c] of [...counts.byClient].sort((a, b) => a[0].localeCompare(b[0]))) {
      lines.push(`  ${name.padEnd(32)} ${String(c.linesFrom).padStart(8)} lines from ${String(c.linesTo).padStart(8)} lines to ${String(c.other).padStart(8)} other`);
    }
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
    byClient: Object.fromEntries(counts.byClient),
    capture: stats,
  };
}
