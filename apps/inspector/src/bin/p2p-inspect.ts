#!/usr/bin/env node
// Placeholder until the inspector lands.
console.error('p2p-inspect: not built yet.');
process.exit(1);
