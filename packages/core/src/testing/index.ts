export { createMemoryNetwork, type MemoryNetwork, type MemoryNetworkOptions } from '../transport/memory-network.js';
export { Harness, waitFor, addressOf, type TestNode } from './harness.js';
export { VirtualClock } from './virtual-clock.js';
export { seededRandom } from './seeded-random.js';
export { createBroadcastEngine } from '../broadcast/plumtree-engine.js';
export type { BroadcastEngine, BroadcastEngineInit, BroadcastMode } from '../broadcast/types.js';
export { createDirectRouter } from '../direct/direct-router.js';
export { createMessageAuth, createDirectSealer, createKeyRing } from '../trust/index.js';
export { randomConnectedGraph } from './random-graph.js';
