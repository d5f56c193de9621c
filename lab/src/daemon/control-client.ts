/**
 * The lab's view of p2pd's control socket (a Unix socket in the data directory, reachable from outside the host's
 * network namespace), on @p2p/control's client: one connection per call, with a bound on how long a call may take.
 */
import { connectControl, fetchPeerTable, inboxEntryFromWire, type ControlClient, type InboxEntry, type PeerRow } from '@p2p/control';
import type { p2p } from '@p2p/core';
import { LabDaemonError, LabTimeoutError } from '../errors.js';

type FinishedDownloadWire = p2p.control.v1.IDownloadEntry;

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
  /** Shares a directory (the daemon indexes it before answering). */
  share(dir: string): Promise<void>;
  /** The files this daemon shares. */
  files(): Promise<SharedFile[]>;
  /**
   * Downloads a file by root or name (as `p2p-cli get`, holders searched for `searchMs`, default 2 s as the CLI);
   * resolves with the finished download, rejects if it failed.
   */
  get(target: string, timeoutMs?: number, searchMs?: number): Promise<FinishedDownload>;
}

/** A file a daemon shares. */
export interface SharedFile {
  name: string;
  size: number;
  root: string;
  sha256: string;
}

/** A download the daemon finished. */
export interface FinishedDownload {
  path: string;
  bytes: number;
  sha256: string;
  /** Holders that sent blocks. */
  sources: string[];
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
    share: (dir) => withClient(socketPath, 'share', 120_000, async (c) => {
      await c.call({ share: { dir } });
    }),
    files: () => withClient(socketPath, 'files', 30_000, async (c) => {
      const rows: SharedFile[] = [];
      await c.stream({ files: {} }, (r) => {
        for (const f of r.files?.files ?? []) rows.push({ name: f.name ?? '', size: Number(f.size ?? 0), root: f.root ?? '', sha256: f.sha256 ?? '' });
        return r.files?.more ? undefined : 'done';
      });
      return rows;
    }),
    get: (target, timeoutMs = 300_000, searchMs = 2000) => withClient(socketPath, 'get', timeoutMs, async (c) => {
      let final: FinishedDownloadWire | undefined;
      await c.stream({ get: { target, from: '', outputDir: '', timeoutMs: searchMs } }, (r) => {
        const d = r.download;
        if (d && (d.state === 'done' || d.state === 'failed' || d.state === 'cancelled')) {
          final = d;
          return 'done';
        }
        return undefined;
      });
      if (!final) throw new LabDaemonError(`get ${target} on ${socketPath}: the daemon ended the download without a result`);
      if (final.state !== 'done') throw new LabDaemonError(`get ${target} on ${socketPath}: ${final.state} ${final.errorCode ?? ''} ${final.error ?? ''}`);
      return { path: final.path ?? '', bytes: Number(final.bytes ?? 0), sha256: final.sha256 ?? '', sources: final.sources ?? [] };
    }),
  };
}
