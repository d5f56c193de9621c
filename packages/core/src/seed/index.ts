export { SeedRegistry, type Registration, type SeedRegistryOptions } from './seed-registry.js';
export { createSeedService, type SeedService, type SeedServiceInit } from './seed-service.js';
