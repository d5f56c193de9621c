#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { runCli } from '../cli/main.js';

// A closed pipe (`| head`) is not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await runCli({ argv: hideBin(process.argv), stdout: process.stdout, stderr: process.stderr, env: process.env });
// Let buffered output drain before exiting (stdout may be a pipe to `head` or `jq`).
process.stdout.write('', () => process.exit(code));
