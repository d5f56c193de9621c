import type { p2p } from '../codec/wire.js';
import { CliqueBadAnswerError, CliqueWhoTooLargeError } from './errors.js';

/** Names a client gathers from who-is-online pages unless told otherwise (the server's default name cap). */
export const DEFAULT_WHO_MAX_NAMES = 100_000;

/**
 * Gathers who-is-online page by page through `ask` (one WhoIsOnline with that cursor, its answer). Bounded: it stops
 * with CliqueWhoTooLargeError as soon as the server counts, or the pages hold, more than `maxNames` names, and with
 * CliqueBadAnswerError when a page says "more" without moving its cursor forward (a server walking us in circles).
 * A server without pages answers once with everything, which is the first and last page.
 */
export async function gatherOnline(ask: (after: string) => Promise<p2p.v1.IOnlineList>, maxNames: number): Promise<p2p.v1.IClientEntry[]> {
  const out: p2p.v1.IClientEntry[] = [];
  let after = '';
  for (;;) {
    const page = await ask(after);
    const clients = page.clients ?? [];
    const total = page.total ?? 0;
    if (total > maxNames || out.length + clients.length > maxNames) throw new CliqueWhoTooLargeError(maxNames, total);
    out.push(...clients);
    if (!page.more) return out;
    const next = page.next ?? '';
    if (clients.length === 0 || next <= after) throw new CliqueBadAnswerError('who-is-online pages do not advance');
    after = next;
  }
}
