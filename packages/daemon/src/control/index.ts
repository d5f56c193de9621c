export * from './handler-types.js';
export * from './handlers/index.js';
export * from './control-server.js';
export * from './response-writer.js';
export * from './socket-file.js';
