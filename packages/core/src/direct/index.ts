export type { DirectRouter, DirectRouterInit } from './types.js';
export { createDirectRouter } from './direct-router.js';
