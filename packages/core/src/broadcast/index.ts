export type { BroadcastEngine, BroadcastEngineInit, BroadcastMode, BroadcastStats } from './types.js';
export type { Clock, TimerHandle } from './clock.js';
export { systemClock } from './clock.js';
export { createBroadcastEngine, MAX_HOPS_CEILING } from './plumtree-engine.js';
export { createSeenCache } from './seen-cache.js';
export type { SeenCache, SeenCacheOptions } from './seen-cache.js';
export { createMessageCache } from './message-cache.js';
export type { MessageCache, CachedBroadcast } from './message-cache.js';
export { MESSAGE_ID_BYTES, newMessageId, toHex, isMessageId } from './payload.js';
