export {
  startLanDiscovery, type LanDiscovery, type LanDiscoveryInit, type LanDiscoveryStats, type DiscoveredPeer,
} from './lan-discovery.js';
