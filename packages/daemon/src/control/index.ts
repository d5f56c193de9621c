export * from './control-handlers.js';
export * from './control-server.js';
export * from './response-writer.js';
