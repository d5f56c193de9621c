export * from './version.js';
export * from './errors.js';
export * from './commands/index.js';
