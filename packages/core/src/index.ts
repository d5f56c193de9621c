export * from './errors.js';
export * from './codec/index.js';
export * from './framing/index.js';
export * from './node/index.js';
export * from './identity/index.js';
