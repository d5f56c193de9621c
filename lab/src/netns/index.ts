export * from './ip.js';
export * from './naming.js';
export * from './privileges.js';
export * from './leftovers.js';
export * from './lab-network.js';
