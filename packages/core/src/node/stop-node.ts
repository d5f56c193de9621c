import { v1 } from '../codec/wire.js';
import type { RunningNode } from './running-node.js';

const GoodbyeReason = v1.GoodbyeReason;

/**
 * Says goodbye to every peer and releases everything. Peers get a short grace to take the Goodbye before their
 * sockets are destroyed, and closing sockets is bounded too, so stop() resolves within about a second.
 */
export async function stopNode(node: RunningNode): Promise<void> {
  const life = node.lifecycle;
  if (life.state === 'stopped' || life.state === 'stopping') return;
  const wasRunning = life.state === 'running';
  life.state = 'stopping';
  node.mesh.stop();
  node.liveness.stop();
  node.seeds.stop();
  node.engine.stop();
  node.router.stop();
  const lanStop = node.lan.stop().catch(() => undefined);
  const all = [...node.sessions.values(), ...node.opener.handshaking];
  for (const s of all) s.close(GoodbyeReason.GOODBYE_REASON_SHUTDOWN, 'node shutting down');
  const deadline = new Promise<void>((r) => setTimeout(r, 800).unref?.());
  await Promise.race([Promise.all(all.map((s) => s.closed())), deadline]);
  for (const s of all) s.destroy('shutdown');
  await Promise.race([
    Promise.all([node.listener.close(), lanStop, node.transport.close()]),
    new Promise((r) => setTimeout(r, 150).unref?.()),
  ]);
  // The book as it stood at shutdown (sessions still counted as seen), written before stop() resolves.
  await node.peerSaver.stop();
  life.state = 'stopped';
  if (wasRunning) node.logger.info({ peerId: node.peerId }, 'node stopped');
}
