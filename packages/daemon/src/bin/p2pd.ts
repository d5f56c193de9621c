#!/usr/bin/env node
// Placeholder until the daemon lands (issue: the daemon p2pd and the CLI p2p-cli).
console.error('p2pd: the daemon is not built yet; see the open issue "The daemon p2pd".');
process.exit(1);
