#!/usr/bin/env node
// Committed launcher for the compiled entry point: npm links bins at install time, before `npm run build` has
// written dist/, so the bin must point at a file that exists in a fresh clone. The root's `prepare` builds dist/.
import('../dist/bin/p2p-cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/bin/p2p-cli.js')) {
    console.error('p2p-cli: not built yet: run `npm run build` at the repository root');
    process.exit(1);
  }
  throw err;
});
