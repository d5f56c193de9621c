export * from './version.js';
export * from './errors.js';
export * from './paths.js';
export * from './client/index.js';
export * from './commands/index.js';
