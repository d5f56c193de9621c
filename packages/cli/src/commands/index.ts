export * from './status.js';
export * from './peers.js';
export * from './send.js';
export * from './inbox.js';
export * from './chat.js';
export * from './ping.js';
export * from './completion.js';
export * from './contacts.js';
