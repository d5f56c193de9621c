export * from './errors.js';
export * from './lab.js';
export * from './teardown-guard.js';
export * from './netns/index.js';
export * from './daemon/index.js';
export * from './observe/index.js';
export * from './scenarios/index.js';
