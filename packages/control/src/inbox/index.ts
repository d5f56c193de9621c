export * from './inbox-entry.js';
