import { PROTOCOL_VERSION, v1, type p2p } from '../codec/wire.js';
import type { RunningNode } from './running-node.js';
import { ROLE_TO_WIRE } from './roles.js';

/** Software name sent in Hello. */
export const AGENT = 'p2p-toolkit/0.1.0';

/**
 * Load as reported to others: sessions with non-seed peers, i.e. the mesh degree. Sessions a peer keeps with
 * its seeds are not mesh links, and counting them would make others trim a peer below its target degree.
 */
export function meshLoad(node: Pick<RunningNode, 'sessions' | 'role'>): number {
  let n = 0;
  for (const s of node.sessions.values()) if (node.role === 'seed' || s.remoteHello?.role !== v1.Role.ROLE_SEED) n++;
  return n;
}

/** What the Hello and self descriptions are made of. */
export type SelfSource = Pick<RunningNode, 'identity' | 'name' | 'listener' | 'role' | 'sessions' | 'instanceId' | 'clock'>;

/** The Hello this node opens every session with. */
export function localHello(node: SelfSource): p2p.v1.IHello {
  return {
    protocolVersion: PROTOCOL_VERSION, peerId: node.identity.peerIdBytes, name: node.name,
    listenPort: node.listener.address.port, role: ROLE_TO_WIRE[node.role], load: meshLoad(node),
    instanceId: node.instanceId, agent: AGENT,
  };
}

/** This node as seeds and LAN announcements describe it; an empty host means "the address you see me at". */
export function selfInfo(node: SelfSource, host: string): p2p.v1.IPeerInfo {
  return {
    peerId: node.identity.peerIdBytes, name: node.name, host, port: node.listener.address.port,
    role: ROLE_TO_WIRE[node.role], load: meshLoad(node), seenAtMs: node.clock.now(),
  };
}
