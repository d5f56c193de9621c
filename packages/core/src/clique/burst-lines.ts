import { v1, type p2p } from '../codec/wire.js';
import { BURST_MAX_LINES, BURST_MAX_TEXT_BYTES } from './burst-body.js';

const Status = v1.CliqueDeliveryStatus;

/** How a line ended. */
export interface CliqueSendResult {
  /** delivered: handed to the recipient (for "*": to everyone online); the others say why not. */
  status: 'delivered' | 'no-such-client' | 'recipient-busy' | 'refused' | 'timeout';
  /** Clients it reached. */
  delivered: number;
}

/** A line waiting for its burst to leave, then for the burst's report or its own deadline. */
export interface BurstLine {
  to: string;
  line: p2p.v1.ICliqueLineText;
  /** When it ends as a timeout without a report (performance.now() time). */
  deadline: number;
  done: boolean;
  resolve(r: CliqueSendResult): void;
}

/** Settles a line with a report; once (later calls do nothing). */
export function settle(l: BurstLine, r: p2p.v1.IDeliveryReport): void {
  if (l.done) return;
  l.done = true;
  l.resolve(resultOf(r));
}

/** The report a line gets when none came in time. */
export const TIMED_OUT: p2p.v1.IDeliveryReport = { status: v1.CliqueDeliveryStatus.CLIQUE_DELIVERY_STATUS_TIMEOUT };

/** A line bigger than this leaves in a burst of its own: a server refuses a burst whole when one line is too long. */
export const ALONE_OVER_BYTES = 1024;

/**
 * Cuts lines written in one turn into bursts: by recipient (first-seen order), each within BURST_MAX_LINES and
 * BURST_MAX_TEXT_BYTES, and a long line alone, so that one refused line takes no other with it.
 */
export function splitBursts(lines: BurstLine[]): BurstLine[][] {
  const open = new Map<string, { lines: BurstLine[]; bytes: number }>();
  const out: BurstLine[][] = [];
  for (const l of lines) {
    const bytes = Buffer.byteLength(l.line.text ?? '');
    if (bytes > ALONE_OVER_BYTES) { out.push([l]); continue; }
    let b = open.get(l.to);
    if (!b || b.lines.length >= BURST_MAX_LINES || b.bytes + bytes > BURST_MAX_TEXT_BYTES) {
      b = { lines: [], bytes: 0 };
      open.set(l.to, b);
      out.push(b.lines);
    }
    b.lines.push(l);
    b.bytes += bytes;
  }
  return out;
}

/** A delivery report as the sender's result. */
export const resultOf = (r: p2p.v1.IDeliveryReport): CliqueSendResult => ({
  status: r.status === Status.CLIQUE_DELIVERY_STATUS_DELIVERED ? 'delivered'
    : r.status === Status.CLIQUE_DELIVERY_STATUS_NO_SUCH_CLIENT ? 'no-such-client'
      : r.status === Status.CLIQUE_DELIVERY_STATUS_RECIPIENT_BUSY ? 'recipient-busy'
        : r.status === Status.CLIQUE_DELIVERY_STATUS_REFUSED ? 'refused' : 'timeout',
  delivered: r.delivered ?? 0,
});

