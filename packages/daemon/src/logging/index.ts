export * from './create-logger.js';
export * from './log-destination.js';
