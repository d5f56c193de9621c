export * from './slope.js';
export * from './sample-memory.js';
export * from './soak.js';
