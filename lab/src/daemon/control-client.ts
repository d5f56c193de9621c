/**
 * The lab's view of p2pd's control socket (a Unix socket in the data directory, reachable from outside the host's
 * network namespace), on @p2p/control's client: one connection per call, with a bound on how long a call may take.
 */
import { connectControl, fetchPeerTable, inboxEntryFromWire, type ControlClient, type InboxEntry, type PeerRow } from '@p2p/control';
import { LabTimeoutError } from '../errors.js';

export type { InboxEntry, PeerRow };

/** The calls the lab makes on a daemon. */
export interface DaemonControl {
  /** The whole peer table. */
  peers(): Promise<PeerRow[]>;
  /** A broadcast; resolves with its message ID. */
  broadcast(text: string): Promise<string>;
  /** A direct message; resolves with the daemon's status ("delivered", "unreachable", ...). */
  send(to: string, text: string, timeoutMs?: number): Promise<string>;
  /** Every stored inbox entry. */
  inbox(): Promise<InboxEntry[]>;
}

/** Runs `fn` on a fresh connection, closed afterwards; rejects with LabTimeoutError after `ms`. */
async function withClient<T>(socketPath: string, what: string, ms: number, fn: (c: ControlClient) => Promise<T>): Promise<T> {
  const client = await connectControl(socketPath);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(client),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LabTimeoutError(`control ${what} on ${socketPath}`, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    client.close();
  }
}

/** The control calls of the daemon whose socket is `socketPath`. */
export function daemonControl(socketPath: string): DaemonControl {
  return {
    peers: () => withClient(socketPath, 'peers', 15_000, fetchPeerTable),
    broadcast: (text) => withClient(socketPath, 'broadcast', 15_000, async (c) => (await c.call({ broadcast: { text } })).broadcast?.messageId ?? ''),
    send: (to, text, timeoutMs = 5000) =>
      withClient(socketPath, 'send', timeoutMs + 10_000, async (c) => (await c.call({ send: { to, text, timeoutMs } })).send?.status ?? 'no answer'),
    inbox: () => withClient(socketPath, 'inbox', 30_000, async (c) => {
      const rows: InboxEntry[] = [];
      await c.stream({ inbox: { follow: false } }, (r) => {
        if (r.inboxEntry) rows.push(inboxEntryFromWire(r.inboxEntry));
        return r.inboxEnd ? 'done' : undefined;
      });
      return rows;
    }),
  };
}
