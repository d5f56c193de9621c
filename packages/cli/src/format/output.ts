import pc from 'picocolors';
import type { InboxEntry } from '@p2p/control';
import { safeJson, sanitizeText } from '@p2p/core';

/** Colours for stdout: only on a terminal, and never when NO_COLOR is set (picocolors checks it). */
export const colors = pc.createColors(pc.isColorSupported && process.stdout.isTTY === true);

/** Text from the network made safe to print: the one sanitiser of core (control and format characters shown visibly). */
export const terminalSafe = sanitizeText;

/** Writes one line to stdout. */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Writes a value as one line of JSON to stdout; control and format characters from the network travel as \u escapes. */
export function printJson(value: unknown): void {
  process.stdout.write(`${safeJson(value)}\n`);
}

/** Resolves once everything written to `stream` so far has left the process (a pipe may hold it back). */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('error', done);
      resolve();
    };
    stream.on('error', done);
    stream.write('', () => done());
  });
}

/** A duration for people: "42 s", "3 min 5 s", "2 h 7 min", "4 d 3 h". */
export function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Lays rows out in aligned columns; `paint` colours a cell after padding so escapes do not skew widths. */
export function formatTable(header: string[], cells: string[][], paint?: (row: number, column: number, text: string) => string): string {
  // Every cell may come from the network: neutralised before padding and painting.
  const rows = cells.map((r) => r.map((c) => sanitizeText(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], row: number) =>
    cells.map((cell, i) => {
      const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
      return row < 0 ? colors.bold(padded) : paint ? paint(row, i, padded) : padded;
    }).join('  ').trimEnd();
  return [line(header, -1), ...rows.map((r, i) => line(r, i))].join('\n');
}

/** One readable line for an inbox entry: time, author, recipient, text. */
export function formatInboxEntry(entry: InboxEntry): string {
  const at = new Date(entry.receivedAt);
  const time = Number.isNaN(at.getTime()) ? entry.receivedAt : at.toLocaleString('sv-SE');
  const recipient = terminalSafe(entry.to);
  const to = entry.kind === 'broadcast' ? colors.magenta('everyone') : entry.kind === 'clique' ? colors.magenta(`clique:${recipient}`) : recipient;
  return `${colors.dim(terminalSafe(time))}  ${colors.cyan(terminalSafe(entry.from))} → ${to}: ${terminalSafe(entry.text)}`;
}

/** A round-trip time for people: "1.23 ms", or "-" when never measured. */
export function formatRtt(ms: number | null | undefined): string {
  return ms === undefined || ms === null || ms < 0 ? '-' : `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
}

/** A byte count for people: 512 B, 12.0 KiB, 256.0 MiB, 1.5 GiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
