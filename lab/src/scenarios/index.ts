export * from './types.js';
export * from './mesh-steps.js';
export * from './discovery.js';
export * from './churn.js';
export * from './partition.js';
export * from './hostile.js';
export * from './files.js';
export * from './run-scenario.js';
