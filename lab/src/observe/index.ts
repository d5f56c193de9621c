export * from './wait.js';
export * from './mesh-view.js';
export * from './traffic.js';
