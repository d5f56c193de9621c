import { connect, type Socket } from 'node:net';
import { control, FrameDecoder, frameBytes, type p2p } from '@p2p/core';
import { AmbiguousPeerError, ControlConnectionError, DaemonRefusedError, NoDaemonError, SocketAccessError, UnknownPeerError } from '../errors.js';

/** A request body: a Request without its id. */
export type CallBody = Omit<p2p.control.v1.Request.$Properties, 'id'>;
/** A decoded response. */
export type ControlResponse = p2p.control.v1.Response;

/** A connection to the daemon's control socket. */
export interface ControlClient {
  /** Sends one request and resolves with its response; a ControlError becomes a thrown CliError. */
  call(body: CallBody): Promise<ControlResponse>;
  /**
   * Sends one request whose answer is many responses (inbox); `onResponse` sees each one.
   * Resolves when the connection closes (or when `onResponse` returns 'done'), rejects on a ControlError.
   */
  stream(body: CallBody, onResponse: (response: ControlResponse) => 'done' | void): Promise<void>;
  /** Closes the connection. */
  close(): void;
}

interface Pending {
  onResponse: (response: ControlResponse) => 'done' | void;
  resolve: () => void;
  reject: (err: Error) => void;
}

function refusal(error: p2p.control.v1.IControlError): Error {
  const message = error.message || error.code || 'the daemon refused the request';
  if (error.code === 'AMBIGUOUS_PEER') return new AmbiguousPeerError(message);
  return error.code === 'PEER_NOT_FOUND' ? new UnknownPeerError(message) : new DaemonRefusedError(error.code ?? '', message);
}

/** Connects to the daemon's control socket; throws NoDaemonError when nothing listens there. */
export async function connectControl(socketPath: string): Promise<ControlClient> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(socketPath);
    s.once('connect', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'ENOTSOCK') reject(new NoDaemonError(socketPath));
      else if (err.code === 'EACCES' || err.code === 'EPERM') reject(new SocketAccessError(socketPath, 'permission denied (it belongs to another user)'));
      else reject(new ControlConnectionError(`cannot connect to ${socketPath}: ${err.message}`, { cause: err }));
    });
  });
  const pending = new Map<number, Pending>();
  const decoder = new FrameDecoder({ maxFrameSize: 4 * 1024 * 1024 });
  let nextId = 1;
  let failure: Error | undefined;

  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  socket.on('data', (chunk: Buffer) => {
    let responses: ControlResponse[];
    try {
      responses = decoder.push(chunk).map((frame) => control.Response.decode(frame));
    } catch (err) {
      failAll(new ControlConnectionError(`the daemon sent something that is not a control response (${(err as Error).message})`));
      socket.destroy();
      return;
    }
    for (const response of responses) {
      const p = pending.get(response.id);
      if (response.error) {
        if (p) {
          pending.delete(response.id);
          p.reject(refusal(response.error));
        } else if (response.id === 0) {
          failAll(refusal(response.error));
        }
        continue;
      }
      if (p && p.onResponse(response) === 'done') {
        pending.delete(response.id);
        p.resolve();
      }
    }
  });
  socket.on('error', (err) => failAll(new ControlConnectionError(`connection to the daemon failed: ${err.message}`, { cause: err })));
  socket.on('close', () => {
    for (const p of pending.values()) p.resolve();
    pending.clear();
    failure ??= new ControlConnectionError('the daemon closed the connection');
  });

  const send = (body: CallBody, entry: Pending) => {
    if (failure) return entry.reject(failure);
    const id = nextId++;
    pending.set(id, entry);
    socket.write(frameBytes(control.Request.encode({ ...body, id }).finish()));
  };

  return {
    call(body) {
      return new Promise((resolve, reject) => {
        let answer: ControlResponse | undefined;
        send(body, {
          onResponse: (response) => {
            answer = response;
            return 'done';
          },
          resolve: () => (answer ? resolve(answer) : reject(new ControlConnectionError('the daemon closed the connection without answering'))),
          reject,
        });
      });
    },
    stream(body, onResponse) {
      return new Promise((resolve, reject) => send(body, { onResponse, resolve, reject }));
    },
    close() {
      socket.end();
      socket.destroy();
    },
  };
}
