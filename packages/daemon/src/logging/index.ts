export * from './create-logger.js';
export * from './safe-destination.js';
