export * from './output.js';
export * from './sizes.js';
