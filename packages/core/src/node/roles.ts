import { v1 } from '../codec/wire.js';
import type { NodeRole } from './types.js';

/** Wire value of a role. */
export const ROLE_TO_WIRE: Record<NodeRole, number> = { peer: v1.Role.ROLE_PEER, seed: v1.Role.ROLE_SEED, server: v1.Role.ROLE_SERVER };

/** Role of a node from its wire value (unknown values count as 'peer'). */
export function roleFromWire(role: number | null | undefined): NodeRole {
  return role === v1.Role.ROLE_SEED ? 'seed' : role === v1.Role.ROLE_SERVER ? 'server' : 'peer';
}
