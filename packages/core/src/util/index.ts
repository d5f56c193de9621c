export { systemClock, every, monotonicNow, type Clock, type TimerHandle, type Repeating } from './clock.js';
export { createSeenCache, type SeenCache, type SeenCacheOptions } from './seen-cache.js';
export { silentLogger, type Logger } from './logger.js';
export { createGenerationalMap, type GenerationalMap } from './generational-map.js';
