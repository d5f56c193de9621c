export * from './inbox-record.js';
export * from './inbox-store.js';
