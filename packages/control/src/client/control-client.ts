import { connect, type Socket } from 'node:net';
import {
  createFrameDecoder, decodeResponse, encodeRequestFrame, MAX_RESPONSE_FRAME,
  type ControlResponse, type RequestBody,
} from '../codec/index.js';
import { codeOfControlError, ControlConnectionError, fromControlError, NoDaemonError, SocketAccessError } from '../errors/index.js';
import type { ControlErrorMessage } from '../codec/index.js';

/** A connection to the daemon's control socket. */
export interface ControlClient {
  /** The socket this client is connected to. */
  readonly socketPath: string;
  /** Sends one request and resolves with its (first) response; a ControlError is thrown as its typed error. */
  call(body: RequestBody): Promise<ControlResponse>;
  /**
   * Sends one request whose answer is many responses (inbox, a paged peer table); `onResponse` sees each one.
   * Resolves when `onResponse` returns 'done' or the connection closes; rejects on a ControlError.
   */
  stream(body: RequestBody, onResponse: (response: ControlResponse) => 'done' | void): Promise<void>;
  /** Closes the connection. */
  close(): void;
}

interface Pending {
  onResponse: (response: ControlResponse) => 'done' | void;
  resolve: () => void;
  reject: (err: Error) => void;
}

function refusal(error: ControlErrorMessage): Error {
  return fromControlError(codeOfControlError(error), error.message ?? '');
}

function openSocket(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(socketPath);
    s.once('connect', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'ENOTSOCK') reject(new NoDaemonError(socketPath));
      else if (err.code === 'EACCES' || err.code === 'EPERM') reject(new SocketAccessError(socketPath, 'permission denied (another user\'s daemon, or not in its group)'));
      else reject(new ControlConnectionError(`cannot connect to ${socketPath}: ${err.message}`, { cause: err }));
    });
  });
}

/** Connects to the daemon's control socket; throws NoDaemonError when nothing listens there. */
export async function connectControl(socketPath: string): Promise<ControlClient> {
  const socket = await openSocket(socketPath);
  const pending = new Map<number, Pending>();
  const decoder = createFrameDecoder(MAX_RESPONSE_FRAME);
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
      responses = decoder.push(chunk).map(decodeResponse);
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
          // Id 0: about the connection itself (busy, idle, a frame it could not read).
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

  const send = (body: RequestBody, entry: Pending) => {
    if (failure) return entry.reject(failure);
    const id = nextId++;
    pending.set(id, entry);
    socket.write(encodeRequestFrame({ ...body, id }));
  };

  return {
    socketPath,
    call(body) {
      return new Promise((resolve, reject) => {
        let answer: ControlResponse | undefined;
        send(body, {
          onResponse: (response) => {
            answer = response;
            return 'done';
          },
          resolve: () => (answer ? resolve(answer) : reject(failure ?? new ControlConnectionError('the daemon closed the connection without answering'))),
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
