export * from './control-client.js';
export * from './connect-daemon.js';
export * from './peer-table.js';
