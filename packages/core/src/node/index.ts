export type {
  BroadcastResult, HostPort, InboundMessage, Logger, NodeConfig, NodeEvents, NodeRole, NodeStats, P2PNode,
  PeerIdString, PeerSnapshot, SendResult,
} from './types.js';
