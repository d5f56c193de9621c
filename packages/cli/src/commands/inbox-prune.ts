import type { ControlClient } from '@p2p/control';
import { UsageError } from '../errors.js';
import { formatBytes, printJson, printLine } from '../format/index.js';

/** What `p2p-cli inbox --clear` / `--prune` asks the daemon to remove. */
export interface PruneArgs {
  /** Remove every stored message. */
  clear?: boolean;
  /** Remove messages by age and/or count. */
  prune?: boolean;
  /** With --prune: remove messages older than this (7d, 12h, 30m, 45s). */
  'older-than'?: string;
  /** With --prune: keep only the newest N. */
  keep?: number;
  /** Print JSON. */
  json?: boolean;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses a duration such as 7d, 12h, 30m, 45s or 2w into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!) : NaN;
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new UsageError(`--older-than: "${text}" is not a duration (for example 7d, 12h, 30m)`);
  return ms;
}

/** Turns the flags into an InboxPruneRequest; throws UsageError for a prune that names nothing to remove. */
export function pruneRequest(args: PruneArgs): { all?: boolean; olderThanMs?: number; keep?: number } {
  if (args.clear) {
    if (args.prune || args['older-than'] !== undefined || args.keep !== undefined) throw new UsageError('--clear removes everything: it takes no --prune, --older-than or --keep');
    return { all: true };
  }
  const olderThanMs = args['older-than'] !== undefined ? parseDuration(args['older-than']) : undefined;
  if (args.keep !== undefined && (!Number.isSafeInteger(args.keep) || args.keep < 0)) throw new UsageError('--keep needs a whole number of messages (0 or more)');
  if (olderThanMs === undefined && args.keep === undefined) throw new UsageError('--prune needs --older-than DURATION and/or --keep N');
  // Keeping none is clearing: say so, since 0 means "no count limit" on the wire.
  if (args.keep === 0) return { all: true };
  return { ...(olderThanMs !== undefined ? { olderThanMs } : {}), ...(args.keep !== undefined ? { keep: args.keep } : {}) };
}

/** Runs the prune and prints what it removed. */
export async function runPrune(client: ControlClient, args: PruneArgs): Promise<void> {
  const { inboxPrune } = await client.call({ inboxPrune: pruneRequest(args) });
  const out = { removed: Number(inboxPrune?.removed ?? 0), kept: Number(inboxPrune?.kept ?? 0), freedBytes: Number(inboxPrune?.freedBytes ?? 0) };
  if (args.json) return printJson(out);
  printLine(`removed ${out.removed} message${out.removed === 1 ? '' : 's'} (${formatBytes(out.freedBytes)}), ${out.kept} left`);
}
