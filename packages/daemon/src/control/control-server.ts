import { chmod, lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { control, FrameDecoder, type Logger, type P2PNode } from '@p2p/core';
import { DaemonAlreadyRunningError, ListenError } from '../errors.js';
import type { Inbox, InboxRecord } from '../inbox/index.js';
import type { Contacts } from '../contacts/index.js';
import { handleUnary, type ControlRequest } from './control-handlers.js';
import { ResponseWriter } from './response-writer.js';

/** Options of the control server. */
export interface ControlServerOptions {
  /** Unix socket path (in the data directory); created with mode 0600. */
  socketPath: string;
  /** The node requests act on. */
  node: P2PNode;
  /** The inbox `inbox` requests read and follow. */
  inbox: Inbox;
  /** Where client problems are logged. */
  logger: Logger;
  /** Clients connected at once; beyond, a new client gets a BUSY error; default 32. */
  maxClients?: number;
  /** Largest request frame, bytes; default 64 KiB. */
  maxFrameSize?: number;
  /** Requests (including inbox follows) open at once per client; default 16. */
  maxInFlight?: number;
  /** Bytes of responses queued for one client before it is disconnected; default 32 MiB. */
  maxQueuedBytes?: number;
  /** Timeout of send and ping when the request gives none, ms; default 5000. */
  defaultTimeoutMs?: number;
  /** The contact book: recipients resolved by it, peers and authors shown by it. */
  contacts?: Contacts;
}

/** The daemon's control API on a Unix socket. */
export interface ControlServer {
  /** Binds the socket (refusing if another daemon answers on it; removing a stale one). */
  listen(): Promise<void>;
  /** Disconnects every client, closes and removes the socket. */
  close(): Promise<void>;
  /** Clients connected now. */
  clientCount(): number;
}

function toEntry(r: InboxRecord, contacts?: Contacts) {
  // The author as this node calls it: a contact's name, or name~id when the name belongs to another key here.
  const from = contacts && r.fromPeerId ? contacts.label(r.fromPeerId, r.from) : r.from;
  return { id: r.id, from, fromPeerId: r.fromPeerId, to: r.to, kind: r.kind, text: r.text, receivedAt: r.receivedAt };
}

/** Throws DaemonAlreadyRunningError when a daemon answers on `socketPath`. */
export async function assertNoDaemonOn(socketPath: string): Promise<void> {
  const existing = await lstat(socketPath).catch(() => undefined);
  if (existing?.isSocket() && (await answersOnSocket(socketPath))) throw new DaemonAlreadyRunningError(socketPath);
}

async function answersOnSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Creates the control server; call listen() to bind it. */
export function createControlServer(options: ControlServerOptions): ControlServer {
  const { node, inbox, logger, socketPath } = options;
  const maxClients = options.maxClients ?? 32;
  const maxInFlight = options.maxInFlight ?? 16;
  const ctx = { node, defaultTimeoutMs: options.defaultTimeoutMs ?? 5000, ...(options.contacts ? { contacts: options.contacts } : {}) };
  const clients = new Set<Socket>();
  let server: Server | undefined;

  function serve(socket: Socket): void {
    const writer = new ResponseWriter(socket, options.maxQueuedBytes ?? 32 * 1024 * 1024, () =>
      logger.warn({ clients: clients.size }, 'control: disconnecting a client that stopped reading'));
    if (clients.size >= maxClients) {
      writer.error(0, 'BUSY', `the daemon already serves ${maxClients} clients`);
      socket.end();
      return;
    }
    clients.add(socket);
    const decoder = new FrameDecoder({ maxFrameSize: options.maxFrameSize ?? 64 * 1024 });
    const unsubscribes = new Set<() => void>();
    let inFlight = 0;
    socket.on('error', (err) => logger.debug({ err }, 'control: client socket error'));
    socket.on('close', () => {
      clients.delete(socket);
      for (const unsubscribe of unsubscribes) unsubscribe();
    });

    function follow(request: ControlRequest): void {
      const id = request.id;
      // Subscribing and listing in the same tick leaves neither a gap nor a duplicate between stored and live.
      const stored = inbox.list(request.inbox?.limit ?? 0);
      if (request.inbox?.follow) {
        inFlight++;
        const unsubscribe = inbox.subscribe((record) => writer.send({ id, inboxEntry: toEntry(record, options.contacts) }));
        unsubscribes.add(unsubscribe);
      }
      for (const record of stored) writer.send({ id, inboxEntry: toEntry(record, options.contacts) });
      writer.send({ id, inboxEnd: { count: stored.length } });
    }

    function onFrame(frame: Uint8Array): void {
      let request: ControlRequest;
      try {
        request = control.Request.decode(frame);
      } catch (err) {
        writer.error(0, 'BAD_REQUEST', `not a control request (${(err as Error).message})`);
        return;
      }
      if (inFlight >= maxInFlight) {
        writer.error(request.id, 'BUSY', `more than ${maxInFlight} requests in flight on one connection`);
        return;
      }
      if (request.call === 'inbox') {
        follow(request);
        return;
      }
      inFlight++;
      handleUnary(request, ctx)
        .then((reply) => writer.send({ id: request.id, ...reply }))
        .catch((err: unknown) => {
          // Control codes drop the ERR_ prefix of typed errors: ERR_PING_TIMEOUT travels as PING_TIMEOUT.
          const raw = (err as { code?: unknown }).code;
          const code = typeof raw === 'string' ? raw.replace(/^ERR_/, '') : 'INTERNAL';
          if (code === 'INTERNAL') logger.error({ err, call: request.call }, 'control: request failed');
          writer.error(request.id, code, err instanceof Error ? err.message : String(err));
        })
        .finally(() => inFlight--);
    }

    socket.on('data', (chunk: Buffer) => {
      let frames: Uint8Array[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        // A broken length prefix cannot be resynchronised: say why and hang up on this client only.
        writer.error(0, 'BAD_REQUEST', (err as Error).message);
        socket.end();
        return;
      }
      for (const frame of frames) onFrame(frame);
    });
  }

  return {
    async listen() {
      const existing = await lstat(socketPath).catch(() => undefined);
      if (existing) {
        if (existing.isSocket() && (await answersOnSocket(socketPath))) throw new DaemonAlreadyRunningError(socketPath);
        if (!existing.isSocket()) throw new ListenError('the control API', socketPath, new Error('a file that is not a socket is in the way'));
        await unlink(socketPath);
      }
      const srv = createServer(serve);
      server = srv;
      // The umask covers the instant between bind and chmod, so the socket is never reachable by others.
      const previous = process.umask(0o177);
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen(socketPath, () => {
            srv.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        throw new ListenError('the control API', socketPath, err);
      } finally {
        process.umask(previous);
      }
      await chmod(socketPath, 0o600);
      srv.on('error', (err) => logger.error({ err }, 'control: server error'));
    },
    async close() {
      if (!server) return;
      const srv = server;
      server = undefined;
      for (const socket of clients) socket.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
      await unlink(socketPath).catch(() => undefined);
    },
    clientCount: () => clients.size,
  };
}
