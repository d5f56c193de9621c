export type {
  Transport, TransportConnection, TransportListener, TransportContext, TransportFactory, DialOptions,
  DiscoveryChannel, DiscoveryChannelOptions, DatagramHandler,
} from './types.js';
export { createSocketTransport, socketTransport, ALPN_PROTOCOL } from './socket-transport.js';
export { createMemoryNetwork, type MemoryNetwork, type MemoryNetworkOptions } from './memory-network.js';
export { subnetBroadcast, parseMask, inSubnet } from './subnet.js';
