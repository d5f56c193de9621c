import { safeJson } from '@p2p/core';
import type { Writable } from 'node:stream';
import { messageToJson } from '../decode/message.js';
import { matchesFilter, type MessageFilter } from './filters.js';
import { LineWriter } from './line-writer.js';
import { createColors, tableHeader, tableLine } from './format-table.js';
import { startInspection } from './load-capture.js';
import { countMessage, createMessageCounts, formatStats, statsToJson } from './stats-report.js';

/** Options of `p2p-inspect <capture>`. */
export interface InspectCommandOptions {
  /** Capture path or "-". */
  capture: string;
  /** Key log path. */
  keylog?: string;
  /** One JSON object per line instead of a table. */
  json?: boolean;
  /** Print counts instead of messages. */
  stats?: boolean;
  /** Follow a growing capture. */
  follow?: boolean;
  /** Which messages to show. */
  filter: MessageFilter;
  /** Colour the table. */
  color: boolean;
  /** Where to write. */
  out: Writable;
  /** Where to write notes (truncated file...). */
  err: Writable;
  /** Stops --follow. */
  signal?: AbortSignal;
}


/** Runs the inspect command; resolves with the number of messages shown. */
export async function runInspectCommand(o: InspectCommandOptions): Promise<number> {
  const colors = createColors(o.color);
  const run = startInspection({
    capture: o.capture,
    ...(o.keylog ? { keylog: o.keylog } : {}),
    follow: o.follow ?? false,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const counts = createMessageCounts();
  const out = new LineWriter(o.out);
  let shown = 0;
  if (!o.json && !o.stats) await out.line(tableHeader(colors));
  for await (const m of run.messages) {
    if (!matchesFilter(m, o.filter)) continue;
    shown++;
    if (o.stats) countMessage(counts, m);
    else await out.line(o.json ? safeJson(messageToJson(m)) : tableLine(m, colors));
  }
  if (o.stats) {
    await out.line(o.json ? JSON.stringify(statsToJson(counts, run.inspector.stats)) : formatStats(counts, run.inspector.stats, colors));
  }
  await out.flush();
  if (run.capture.truncated) o.err.write(`p2p-inspect: note: ${run.capture.truncated}\n`);
  if (run.capture.damagedRecords) o.err.write(`p2p-inspect: note: ${run.capture.damagedRecords} damaged capture record header(s) skipped\n`);
  if (run.inspector.stats.tlsStreams > 0 && !o.keylog) {
    o.err.write(`p2p-inspect: note: ${run.inspector.stats.tlsStreams} TLS stream(s) shown as records: pass --keylog FILE to decrypt them\n`);
  }
  return shown;
}
