export * from './options.js';
export * from './parse-values.js';
export * from './load-config.js';
export * from './check-config.js';
export * from './default-data-dir.js';
export * from './node-config.js';
export * from './parse-sizes.js';
