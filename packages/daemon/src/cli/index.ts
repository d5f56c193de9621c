export * from './parse-argv.js';
