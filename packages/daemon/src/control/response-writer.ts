import type { Socket } from 'node:net';
import { controlErrorMessage, encodeResponseFrame, type ControlErrorCode, type ResponseProperties } from '@p2p/control';

/** A control response ready to encode. */
export type ControlResponse = ResponseProperties;

/**
 * Writes framed responses to one client in order, honouring the socket's backpressure; a client that lets
 * more than `maxQueuedBytes` pile up (a follower that stopped reading) is disconnected rather than buffered.
 */
export class ResponseWriter {
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private waiting = false;
  private drainedWaiters: (() => void)[] = [];

  constructor(
    private readonly socket: Socket,
    private readonly maxQueuedBytes: number,
    private readonly onOverflow: () => void,
  ) {}

  /** Queues one response; false when the client is gone or was disconnected for falling behind. */
  send(response: ControlResponse): boolean {
    if (this.socket.destroyed) return false;
    const bytes = encodeResponseFrame(response);
    if (this.queuedBytes + bytes.length > this.maxQueuedBytes) {
      this.onOverflow();
      this.socket.destroy();
      return false;
    }
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    this.pump();
    return true;
  }

  /** Sends an error response: the code as a string and as the enum, side by side. */
  error(id: number, code: ControlErrorCode, message: string): boolean {
    return this.send({ id, error: controlErrorMessage(code, message) });
  }

  /** Resolves once everything queued was handed to the socket and the socket took it (or the client is gone). */
  drained(): Promise<void> {
    if (this.socket.destroyed || (!this.waiting && this.queue.length === 0)) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainedWaiters.push(resolve);
      this.socket.once('close', resolve);
    });
  }

  private pump(): void {
    if (this.waiting) return;
    while (this.queue.length > 0 && !this.socket.destroyed) {
      const bytes = this.queue.shift()!;
      this.queuedBytes -= bytes.length;
      if (!this.socket.write(bytes)) {
        this.waiting = true;
        this.socket.once('drain', () => {
          this.waiting = false;
          this.pump();
        });
        return;
      }
    }
    const waiters = this.drainedWaiters;
    this.drainedWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
