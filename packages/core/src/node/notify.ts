import type { PeerIdString } from '../identity/peer-id.js';
import type { InboundMessage } from '../message/inbound-message.js';
import type { NodeShell } from './node-shell.js';

/** Logs a non-fatal problem and tells the application through the 'warning' event. */
export function warn(node: Pick<NodeShell, 'logger' | 'emitter'>, code: string, message: string, peerId?: PeerIdString): void {
  node.logger.warn({ code, peer: peerId }, message);
  node.emitter.emit('warning', peerId ? { code, message, peerId } : { code, message });
}

/**
 * Hands a message to the application: listeners see it at once; the returned promise settles once it is kept,
 * so a direct message is acknowledged only after the persist hook stored it.
 */
export function deliver(node: Pick<NodeShell, 'emitter' | 'config' | 'persistGate'>, message: InboundMessage): Promise<void> | undefined {
  node.emitter.emit('message', message);
  const persist = node.config.persist;
  // Through the fairness gate: a sender with many messages waiting for storage waits behind itself only, and one
  // past its share is refused (SenderBusyError, answered "inbox full") instead of growing the backlog.
  return persist && node.persistGate.run(message.from, () => persist(message));
}
