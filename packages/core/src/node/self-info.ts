import { PROTOCOL_VERSION, v1, type p2p } from '../codec/wire.js';
import type { NodeContext } from './node-context.js';
import { ROLE_TO_WIRE } from './roles.js';

/** Software name sent in Hello. */
export const AGENT = 'p2p-toolkit/0.1.0';

/**
 * Load as reported to others: sessions with non-seed peers, i.e. the mesh degree. Sessions a peer keeps with
 * its seeds are not mesh links, and counting them would make others trim a peer below its target degree.
 */
export function meshLoad(ctx: NodeContext): number {
  let n = 0;
  for (const s of ctx.sessions.values()) if (ctx.role === 'seed' || s.remoteHello?.role !== v1.Role.ROLE_SEED) n++;
  return n;
}

/** The Hello this node opens every session with. */
export function localHello(ctx: NodeContext): p2p.v1.IHello {
  return {
    protocolVersion: PROTOCOL_VERSION, peerId: ctx.identity!.peerIdBytes, name: ctx.name,
    listenPort: ctx.listener?.address.port ?? 0, role: ROLE_TO_WIRE[ctx.role], load: meshLoad(ctx),
    instanceId: ctx.instanceId, agent: AGENT,
  };
}

/** This node as seeds and LAN announcements describe it; an empty host means "the address you see me at". */
export function selfInfo(ctx: NodeContext, host: string): p2p.v1.IPeerInfo {
  return {
    peerId: ctx.identity!.peerIdBytes, name: ctx.name, host, port: ctx.listener?.address.port ?? 0,
    role: ROLE_TO_WIRE[ctx.role], load: meshLoad(ctx), seenAtMs: Date.now(),
  };
}
