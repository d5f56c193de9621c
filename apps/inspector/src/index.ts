export * from './errors.js';
export * from './capture/index.js';
export * from './reassembly/index.js';
export * from './tls/index.js';
export * from './decode/index.js';
export * from './cli/index.js';
export * from './server/index.js';
