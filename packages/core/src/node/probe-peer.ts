import type { PeerIdString } from '../identity/peer-id.js';
import type { HostPort } from '../transport/host-port.js';
import type { RunningNode } from './running-node.js';

/**
 * Proves that `peerId` is reachable at `address`: a transport handshake there must complete with that key (TLS
 * proves it; an insecure node can only check that something accepts connections). The connection is closed at
 * once: it is a probe, not a session.
 */
export async function probePeer(node: Pick<RunningNode, 'transport' | 'lifecycle' | 'config'>, peerId: PeerIdString, address: HostPort): Promise<boolean> {
  const { transport } = node;
  if (node.lifecycle.state !== 'running') return false;
  try {
    const conn = await transport.dial(address, { expectedPeerId: transport.secure ? peerId : undefined, timeoutMs: node.config.mesh.handshakeTimeoutMs });
    conn.stream.destroy();
    return !transport.secure || conn.authenticatedPeerId === peerId;
  } catch {
    return false;
  }
}
