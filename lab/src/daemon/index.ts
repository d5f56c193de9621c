export * from './control-client.js';
export * from './lab-daemon.js';
export * from './p2pd-path.js';
