export * from './sd-notify.js';
export * from './daemon.js';
