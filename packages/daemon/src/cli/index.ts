export * from './parse-argv.js';
export * from './signals.js';
export * from './run-p2pd.js';
