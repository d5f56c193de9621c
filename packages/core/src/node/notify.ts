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
export function deliver(node: Pick<NodeShell, 'emitter' | 'config'>, message: InboundMessage): Promise<void> | undefined {
  node.emitter.emit('message', message);
  return node.config.persist?.(message);
}
