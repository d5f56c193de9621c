export * from './inbox-file.js';
export * from './inbox-health.js';
export * from './inbox-prune.js';
export * from './inbox-quota.js';
export * from './inbox-record.js';
export * from './inbox-store.js';
export * from './inbox-stream.js';
export * from './inbox-types.js';
