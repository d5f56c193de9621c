/**
 * A small client of p2pd's control socket (a Unix socket in the data directory, reachable from outside the host's
 * network namespace): one connection per call, varint-framed control.Request / control.Response as p2p-cli speaks.
 */
import { connect } from 'node:net';
import { control, FrameDecoder, frameBytes, type p2p } from '@p2p/core';
import { LabDaemonError, LabTimeoutError } from '../errors.js';

/** A request body: a control Request without its id. */
export type ControlCall = Omit<p2p.control.v1.Request.$Properties, 'id'>;
/** A decoded control response. */
export type ControlResponse = p2p.control.v1.Response;

/** Largest response frame accepted (an inbox entry carries one chat line). */
const MAX_FRAME = 4 * 1024 * 1024;

/**
 * Sends one request and collects responses until `done` says so, the daemon closes the connection, or `timeoutMs`.
 * A ControlError response rejects.
 */
export function controlCall(
  socketPath: string,
  body: ControlCall,
  done: (responses: ControlResponse[]) => boolean = (r) => r.length > 0,
  timeoutMs = 15_000,
): Promise<ControlResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const decoder = new FrameDecoder({ maxFrameSize: MAX_FRAME });
    const responses: ControlResponse[] = [];
    const timer = setTimeout(() => finish(new LabTimeoutError(`control ${Object.keys(body)[0]} on ${socketPath}`, timeoutMs)), timeoutMs);
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(responses);
    };
    socket.on('connect', () => socket.write(frameBytes(control.Request.encode({ id: 1, ...body }).finish())));
    socket.on('data', (chunk) => {
      try {
        for (const frame of decoder.push(chunk)) {
          const response = control.Response.decode(frame);
          if (response.error) return finish(new LabDaemonError(`control: ${response.error.code}: ${response.error.message}`));
          responses.push(response);
        }
      } catch (err) {
        return finish(err as Error);
      }
      if (done(responses)) finish();
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish());
  });
}

/** One row of a daemon's peer table. */
export type PeerRow = p2p.control.v1.IPeerEntry;
/** One stored inbox message. */
export type InboxRow = p2p.control.v1.IInboxEntry;

/** The calls the lab makes on a daemon. */
export interface DaemonControl {
  /** The peer table. */
  peers(): Promise<PeerRow[]>;
  /** A broadcast; resolves with its message ID. */
  broadcast(text: string): Promise<string>;
  /** A direct message; resolves with the daemon's status ("delivered", "unreachable", ...). */
  send(to: string, text: string, timeoutMs?: number): Promise<string>;
  /** Every stored inbox entry. */
  inbox(): Promise<InboxRow[]>;
}

/** The control calls of the daemon whose socket is `socketPath`. */
export function daemonControl(socketPath: string): DaemonControl {
  return {
    async peers() {
      const [r] = await controlCall(socketPath, { peers: {} });
      return r?.peers?.peers ?? [];
    },
    async broadcast(text) {
      const [r] = await controlCall(socketPath, { broadcast: { text } });
      return r?.broadcast?.messageId ?? '';
    },
    async send(to, text, timeoutMs = 5000) {
      const [r] = await controlCall(socketPath, { send: { to, text, timeoutMs } }, undefined, timeoutMs + 5000);
      return r?.send?.status ?? 'no answer';
    },
    async inbox() {
      const responses = await controlCall(socketPath, { inbox: { follow: false } }, (rs) => rs.some((x) => x.inboxEnd));
      return responses.filter((x) => x.inboxEntry).map((x) => x.inboxEntry!);
    },
  };
}
