export * from './node-metrics.js';
export * from './metrics-server.js';
