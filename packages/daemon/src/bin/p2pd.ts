#!/usr/bin/env node
// Runs first: it sets V8's young-generation growth before anything else is compiled.
import './startup-heap.js';

// Imported only now: static imports would all be parsed and compiled before startup-heap.js runs.
const [{ hideBin }, { createNode }, { drained, reportFatal, runP2pd }] = await Promise.all([
  import('yargs/helpers'), import('@p2p/core'), import('../cli/index.js'),
]);

const argv = hideBin(process.argv);
// Logs go to fd 1 through their own writer, which survives failures; a failed stdout/stderr is never fatal either.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
// Exit only once stdout has drained: `p2pd --check-config --json | jq` must get the whole object.
const exit = (code: number) => Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => process.exit(code));

runP2pd({ argv, env: process.env, cwd: process.cwd(), createNode }).then(
  exit,
  (err: unknown) => exit(reportFatal(err, argv.includes('--json'))),
);
