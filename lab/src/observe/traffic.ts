/**
 * Traffic the scenarios send and count: every line carries a unique token, so deliveries are counted from the
 * daemons' stored inboxes ("delivered" means stored), per receiver, and a second stored copy is a duplicate.
 */
import type { LabDaemon } from '../daemon/lab-daemon.js';

/** One message sent in a scenario. */
export interface SentMessage {
  /** Unique text (the token). */
  text: string;
  kind: 'broadcast' | 'direct';
  /** Peer ID of the sender. */
  from: string;
  /** Peer ID of the recipient (directs only). */
  to?: string;
  /** Daemon status of a direct send ("delivered", ...). */
  status?: string;
}

/** Deliveries counted against what was owed. */
export interface Tally {
  /** Messages sent. */
  sent: number;
  /** Deliveries owed to the receivers that count. */
  expected: number;
  /** Owed deliveries found stored (each counted once). */
  delivered: number;
  /** Stored copies beyond the first of a message at a receiver. */
  duplicates: number;
  /** Owed deliveries not found, for the failure message (at most 10). */
  missing: string[];
  /** Directs whose sender was not told "delivered", and whether the recipient stored them anyway. */
  unacknowledged: { status: string; stored: boolean }[];
}

let counter = 0;

/** A unique token for a message of this run. */
export function token(kind: string): string {
  counter++;
  return `lab:${process.pid}:${Date.now().toString(36)}:${kind}:${counter}`;
}

/** Sends a broadcast from `from`. */
export async function sendBroadcast(from: LabDaemon): Promise<SentMessage> {
  const text = token('b');
  await from.control.broadcast(text);
  return { text, kind: 'broadcast', from: from.peerId };
}

/** Sends a direct message from `from` to `to` (waits for the acknowledgement, or the daemon's timeout). */
export async function sendDirect(from: LabDaemon, to: LabDaemon, timeoutMs = 8000): Promise<SentMessage> {
  const text = token('d');
  const status = await from.control.send(to.peerId, text, timeoutMs).catch((err: Error) => `error: ${err.message}`);
  return { text, kind: 'direct', from: from.peerId, to: to.peerId, status };
}

/** Counts, among `receivers`, the deliveries owed for `messages`: broadcasts to every receiver but the sender, directs to their recipient. */
export async function tally(messages: readonly SentMessage[], receivers: readonly LabDaemon[]): Promise<Tally> {
  const inboxes = await Promise.all(receivers.map(async (d) => ({ d, rows: await d.control.inbox() })));
  const byText = new Map(messages.map((m) => [m.text, m]));
  const result: Tally = { sent: messages.length, expected: 0, delivered: 0, duplicates: 0, missing: [], unacknowledged: [] };
  for (const { d, rows } of inboxes) {
    const counts = new Map<string, number>();
    for (const r of rows) if (r.text && byText.has(r.text)) counts.set(r.text, (counts.get(r.text) ?? 0) + 1);
    for (const m of messages) {
      const owed = m.kind === 'broadcast' ? m.from !== d.peerId : m.to === d.peerId;
      const n = counts.get(m.text) ?? 0;
      if (owed) {
        result.expected++;
        if (n > 0) result.delivered++;
        else if (result.missing.length < 10) result.missing.push(`${m.kind} ${m.text} at h${d.host.index}`);
      }
      if (n > 1) result.duplicates += n - 1;
      if (m.kind === 'direct' && m.to === d.peerId && m.status !== 'delivered') result.unacknowledged.push({ status: m.status ?? '', stored: n > 0 });
    }
  }
  return result;
}
