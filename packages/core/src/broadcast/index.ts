export type { BroadcastAuthenticator, BroadcastEngine, BroadcastEngineInit, BroadcastMode, BroadcastStats } from './types.js';
export type { Clock, TimerHandle } from './clock.js';
export { systemClock } from './clock.js';
export { createBroadcastEngine } from './plumtree-engine.js';
export { createSeenCache } from './seen-cache.js';
export type { SeenCache, SeenCacheOptions } from './seen-cache.js';
export { createFloodGuard, type FloodGuard, type FloodGuardOptions, type FloodGuardStats, type FloodVerdict } from './flood-guard.js';
export { MAX_CHAT_TEXT_BYTES } from '../message/payload.js';
