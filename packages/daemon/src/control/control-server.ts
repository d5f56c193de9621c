import { unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createFrameDecoder, decodeRequest, MAX_REQUEST_FRAME, toControlError, type ControlRequest } from '@p2p/control';
import type { CallContext, ControlDeps } from './handler-types.js';
import { CONTROL_HANDLERS } from './handlers/index.js';
import { ResponseWriter } from './response-writer.js';
import { bindSocketFile } from './socket-file.js';

/** Options of the control server. */
export interface ControlServerOptions extends ControlDeps {
  /** Unix socket path. */
  socketPath: string;
  /** Mode of the socket: 0o600 (default) or 0o660 for the daemon's group too. */
  socketMode?: number;
  /** Clients connected at once; a new client beyond it takes the slot of the longest-idle one, else gets BUSY; default 32. */
  maxClients?: number;
  /** A client with no call open for this long is disconnected, ms; default 60,000. */
  idleTimeoutMs?: number;
  /** Largest request frame, bytes; default MAX_REQUEST_FRAME. */
  maxFrameSize?: number;
  /** Calls (including inbox follows) open at once per client; default 16. */
  maxInFlight?: number;
  /** Bytes of responses queued for one client before it is disconnected; default 32 MiB. */
  maxQueuedBytes?: number;
}

/** The daemon's control API on a Unix socket. */
export interface ControlServer {
  /** Binds the socket (refusing if another daemon answers on it; removing a stale one). */
  listen(): Promise<void>;
  /** Disconnects every client, closes and removes the socket. */
  close(): Promise<void>;
  /** Clients connected now. */
  clientCount(): number;
  /** Swaps what calls are served with (a node restarted by a reload) and the idle timeout. */
  update(changes: Partial<ControlDeps> & { idleTimeoutMs?: number }): void;
}

/** One connected client and what keeps it from being idle. */
interface Client {
  socket: Socket;
  writer: ResponseWriter;
  /** Calls running or kept open (follows). */
  open: number;
  /** When it last became idle (no call open), ms on the deps clock. */
  idleSince: number;
  idleTimer: NodeJS.Timeout | undefined;
  cleanups: Set<() => void>;
}

/** Creates the control server; call listen() to bind it. */
export function createControlServer(options: ControlServerOptions): ControlServer {
  const { socketPath } = options;
  const deps: ControlDeps = { ...options };
  const logger = options.logger;
  const maxClients = options.maxClients ?? 32;
  const maxInFlight = options.maxInFlight ?? 16;
  let idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const clients = new Set<Client>();
  let server: Server | undefined;

  function setIdle(client: Client): void {
    clearTimeout(client.idleTimer);
    client.idleSince = options.now();
    client.idleTimer = setTimeout(() => {
      logger.debug({ idleMs: idleTimeoutMs }, 'control: disconnecting an idle client');
      client.writer.error(0, 'IDLE', `closed after ${idleTimeoutMs / 1000} s without a call`);
      client.socket.end();
      client.socket.destroySoon();
    }, idleTimeoutMs);
    client.idleTimer.unref();
  }

  function setBusy(client: Client): void {
    clearTimeout(client.idleTimer);
    client.idleTimer = undefined;
  }

  // A burst of connections must not flood the log: evictions are told at most every 10 s, with how many there were.
  let evictionsUntold = 0;
  let evictionToldAt = -Infinity;
  function tellEviction(): void {
    evictionsUntold++;
    const now = performance.now();
    if (now - evictionToldAt < 10_000) return;
    logger.info({ clients: clients.size, evictions: evictionsUntold }, 'control: all slots taken, disconnecting the longest-idle client');
    evictionsUntold = 0;
    evictionToldAt = now;
  }

  // Idle connections can never lock out a new client: the one idle longest gives up its slot.
  function evictIdlest(): boolean {
    let idlest: Client | undefined;
    for (const c of clients) if (c.open === 0 && (!idlest || c.idleSince < idlest.idleSince)) idlest = c;
    if (!idlest) return false;
    tellEviction();
    idlest.writer.error(0, 'IDLE', 'closed: this idle connection\'s slot went to a new client');
    clients.delete(idlest);
    setBusy(idlest);
    idlest.socket.end();
    idlest.socket.destroySoon();
    return true;
  }

  function serve(socket: Socket): void {
    const writer = new ResponseWriter(socket, options.maxQueuedBytes ?? 32 * 1024 * 1024, () =>
      logger.warn({ clients: clients.size }, 'control: disconnecting a client that stopped reading'));
    socket.on('error', (err) => logger.debug({ err }, 'control: client socket error'));
    if (clients.size >= maxClients && !evictIdlest()) {
      writer.error(0, 'BUSY', `the daemon already serves ${maxClients} clients, each with a call open`);
      socket.end();
      return;
    }
    const client: Client = { socket, writer, open: 0, idleSince: options.now(), idleTimer: undefined, cleanups: new Set() };
    clients.add(client);
    setIdle(client);
    const decoder = createFrameDecoder(options.maxFrameSize ?? MAX_REQUEST_FRAME);
    socket.on('close', () => {
      clients.delete(client);
      setBusy(client);
      for (const cleanup of client.cleanups) cleanup();
      client.cleanups.clear();
    });

    const finish = () => {
      client.open--;
      if (client.open === 0 && clients.has(client)) setIdle(client);
    };

    function onFrame(frame: Uint8Array): void {
      let request: ControlRequest;
      try {
        request = decodeRequest(frame);
      } catch (err) {
        writer.error(0, 'BAD_REQUEST', `not a control request (${(err as Error).message})`);
        return;
      }
      if (client.open >= maxInFlight) {
        writer.error(request.id, 'BUSY', `more than ${maxInFlight} calls open on one connection`);
        return;
      }
      const handler = request.call ? CONTROL_HANDLERS[request.call] : undefined;
      if (!handler) {
        writer.error(request.id, 'BAD_REQUEST', 'the request carries no call this daemon knows');
        return;
      }
      if (!deps.node) {
        // The socket is bound before the node starts, so that a second daemon stops early: calls wait for the node.
        writer.error(request.id, 'NOT_STARTED', 'the node is still starting: try again in a moment');
        return;
      }
      client.open++;
      setBusy(client);
      let keptOpen = false;
      const call: CallContext = {
        id: request.id,
        send: (body) => writer.send({ id: request.id, ...body }),
        keepOpen: (cleanup) => {
          keptOpen = true;
          if (socket.destroyed) cleanup();
          else client.cleanups.add(cleanup);
        },
        drained: () => writer.drained(),
      };
      Promise.resolve()
        .then(() => handler(request, call, deps))
        .then((reply) => {
          if (reply) writer.send({ id: request.id, ...reply });
        })
        .catch((err: unknown) => {
          const error = toControlError(err);
          if (error.code === 'INTERNAL') logger.error({ err, call: request.call }, 'control: request failed');
          writer.send({ id: request.id, error });
        })
        .finally(() => {
          // A follow stays open (the client is not idle) until the client goes.
          if (!keptOpen) finish();
        });
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
      const srv = createServer(serve);
      server = srv;
      await bindSocketFile(srv, socketPath, options.socketMode ?? 0o600);
      srv.on('error', (err) => logger.error({ err }, 'control: server error'));
    },
    async close() {
      if (!server) return;
      const srv = server;
      server = undefined;
      for (const client of clients) {
        setBusy(client);
        client.socket.destroy();
      }
      await new Promise<void>((resolve) => srv.close(() => resolve()));
      await unlink(socketPath).catch(() => undefined);
    },
    clientCount: () => clients.size,
    update({ idleTimeoutMs: idle, ...changes }) {
      Object.assign(deps, changes);
      if (idle !== undefined) idleTimeoutMs = idle;
    },
  };
}
