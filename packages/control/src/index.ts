export * from './codec/index.js';
export * from './errors/index.js';
export * from './paths/index.js';
export * from './inbox/index.js';
export * from './client/index.js';
export * from './process/index.js';
