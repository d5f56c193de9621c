export * from './data-dir.js';
export * from './socket-path.js';
