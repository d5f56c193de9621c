export * from './control-client.js';
