export type {
  BroadcastResult, HostPort, InboundMessage, Logger, NodeConfig, NodeEvents, NodeRole, NodeStats, P2PNode,
  PeerIdString, PeerSnapshot, SendResult,
} from './types.js';
export { createNode, AGENT } from './create-node.js';
export type { NodeExtensions, EnvelopeHandler, LanEnvelopeHandler, SendOptions } from './extensions.js';
export { roleFromWire, ROLE_TO_WIRE } from './roles.js';
export { resolvePeer } from './peer-view.js';
export {
  normalizeConfig, DEFAULT_LISTEN_PORT, DEFAULT_LAN_PORT, DEFAULT_MULTICAST_GROUP, type ResolvedNodeConfig,
} from './config.js';
export { resolveLanInterface, type LanInterface } from './lan-interface.js';
export { silentLogger } from './silent-logger.js';
