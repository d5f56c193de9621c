/** @deprecated Moved to util/seen-cache.ts; kept so imports of the old path keep compiling. */
export { createSeenCache, type SeenCache, type SeenCacheOptions } from '../util/seen-cache.js';
