export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { createSeenCache, type SeenCache, type SeenCacheOptions } from './seen-cache.js';
export { silentLogger, type Logger } from './logger.js';
