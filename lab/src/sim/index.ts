export * from './sim-graph.js';
export * from './simulate.js';
export * from './sim-sweep.js';
