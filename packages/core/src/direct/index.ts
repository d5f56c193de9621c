export type { DirectAuthenticator, DirectPayload, DirectRouter, DirectRouterInit } from './types.js';
export { createDirectRouter } from './direct-router.js';
