import pc from 'picocolors';
import { safeJson, sanitizeText, type p2p } from '@p2p/core';

/** Colours for stdout: only on a terminal, and never when NO_COLOR is set (picocolors checks it). */
export const colors = pc.createColors(pc.isColorSupported && process.stdout.isTTY === true);

/** Writes one line to stdout. */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Writes a value as one line of JSON to stdout; control and format characters from the network travel as \u escapes. */
export function printJson(value: unknown): void {
  process.stdout.write(`${safeJson(value)}\n`);
}

/** Text from the network (names, messages) made safe for the terminal: see core's sanitizeText. */
export const safe = sanitizeText;

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

/** An inbox entry in the JSON shape of `p2p-cli inbox --json`. */
export interface InboxEntryJson {
  /** Message ID in hex. */
  id: string;
  /** Author's name. */
  from: string;
  /** Author's peer ID. */
  fromPeerId: string;
  /** Recipient name, or "*" for a broadcast. */
  to: string;
  /** direct, broadcast or clique. */
  kind: string;
  /** The text. */
  text: string;
  /** ISO 8601 time of arrival. */
  receivedAt: string;
}

/** Converts a decoded InboxEntry into its JSON shape (every field present). */
export function inboxEntryJson(entry: p2p.control.v1.IInboxEntry): InboxEntryJson {
  return {
    id: entry.id ?? '', from: entry.from ?? '', fromPeerId: entry.fromPeerId ?? '', to: entry.to ?? '', kind: entry.kind ?? '',
    text: entry.text ?? '', receivedAt: entry.receivedAt ?? '',
  };
}

/** One readable line for an inbox entry: time, author, recipient, text. */
export function formatInboxEntry(entry: InboxEntryJson): string {
  const at = new Date(entry.receivedAt);
  const time = Number.isNaN(at.getTime()) ? entry.receivedAt : at.toLocaleString('sv-SE');
  const to = entry.kind === 'broadcast' ? colors.magenta('everyone') : entry.kind === 'clique' ? colors.magenta(`clique:${sanitizeText(entry.to)}`) : sanitizeText(entry.to);
  return `${colors.dim(sanitizeText(time))}  ${colors.cyan(sanitizeText(entry.from))} → ${to}: ${sanitizeText(entry.text)}`;
}

/** A round-trip time for people: "1.23 ms", or "-" when never measured. */
export function formatRtt(ms: number | null | undefined): string {
  return ms === undefined || ms === null || ms < 0 ? '-' : `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
}
