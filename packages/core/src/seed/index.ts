export { SeedRegistry, type Registration, type SeedRegistryOptions } from './seed-registry.js';
export { createSeedService, type SeedService, type SeedServiceInit, type SeedSession } from './seed-service.js';
