export * from './output.js';
