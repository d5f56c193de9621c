import type { NodeContext } from './node-context.js';
import type { HostPort, PeerIdString } from './types.js';

/**
 * Proves that `peerId` is reachable at `address`: a transport handshake there must complete with that key (TLS
 * proves it; an insecure node can only check that something accepts connections). The connection is closed at
 * once: it is a probe, not a session.
 */
export async function probePeer(ctx: NodeContext, peerId: PeerIdString, address: HostPort): Promise<boolean> {
  const transport = ctx.transport;
  if (!transport || ctx.state !== 'running') return false;
  try {
    const conn = await transport.dial(address, { expectedPeerId: transport.secure ? peerId : undefined, timeoutMs: ctx.config.mesh.handshakeTimeoutMs });
    conn.stream.destroy();
    return !transport.secure || conn.authenticatedPeerId === peerId;
  } catch {
    return false;
  }
}
