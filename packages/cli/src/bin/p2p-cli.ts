#!/usr/bin/env node
// Placeholder until the CLI lands.
console.error('p2p-cli: not built yet.');
process.exit(1);
