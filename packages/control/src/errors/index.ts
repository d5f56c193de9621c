export * from './error-code.js';
export * from './control-errors.js';
export * from './error-table.js';
