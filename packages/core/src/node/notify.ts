import type { NodeContext } from './node-context.js';
import type { InboundMessage, PeerIdString } from './types.js';

/** Logs a non-fatal problem and tells the application through the 'warning' event. */
export function warn(ctx: NodeContext, code: string, message: string, peerId?: PeerIdString): void {
  ctx.logger.warn({ code, peer: peerId }, message);
  ctx.emitter.emit('warning', peerId ? { code, message, peerId } : { code, message });
}

/**
 * Hands a message to the application: listeners see it at once; the returned promise settles once it is kept,
 * so a direct message is acknowledged only after the persist hook stored it.
 */
export function deliver(ctx: NodeContext, message: InboundMessage): Promise<void> | undefined {
  ctx.emitter.emit('message', message);
  const persist = ctx.config.persist;
  // Through the fairness gate: a sender with many messages waiting for storage waits behind itself only, and one
  // past its share is refused (SenderBusyError, answered "not delivered") instead of growing the backlog.
  return persist && ctx.persistGate.run(message.from, () => persist(message));
}
