import { v1 } from '../codec/wire.js';
import type { NodeContext } from './node-context.js';

const GoodbyeReason = v1.GoodbyeReason;

/**
 * Says goodbye to every peer and releases everything. Peers get a short grace to take the Goodbye before their
 * sockets are destroyed, and closing sockets is bounded too, so stop() resolves within about a second.
 */
export async function stopNode(ctx: NodeContext): Promise<void> {
  if (ctx.state === 'stopped' || ctx.state === 'stopping') return;
  const wasRunning = ctx.state === 'running';
  ctx.state = 'stopping';
  ctx.mesh?.stop();
  ctx.liveness?.stop();
  ctx.seeds?.stop();
  ctx.engine?.stop();
  ctx.router?.stop();
  const lanStop = ctx.lan?.stop().catch(() => undefined);
  const all = [...ctx.sessions.values(), ...(ctx.opener?.handshaking ?? [])];
  for (const s of all) s.close(GoodbyeReason.GOODBYE_REASON_SHUTDOWN, 'node shutting down');
  const deadline = new Promise<void>((r) => setTimeout(r, 800).unref?.());
  await Promise.race([Promise.all(all.map((s) => s.closed())), deadline]);
  for (const s of all) s.destroy('shutdown');
  await Promise.race([Promise.all([ctx.listener?.close(), lanStop, ctx.transport?.close()]), new Promise((r) => setTimeout(r, 150).unref?.())]);
  ctx.state = 'stopped';
  if (wasRunning) ctx.logger.info({ peerId: ctx.peerId }, 'node stopped');
}
