#!/usr/bin/env node
// tsc compiles .ts only: it neither copies the generated wire.js nor its pbts-written wire.d.ts into dist.
// This copies both, unchanged, so that dist/gen mirrors src/gen. Usage: copy-generated.mjs <from> <to>
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: copy-generated.mjs <from-dir> <to-dir>');
  process.exit(2);
}
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (name.endsWith('.js') || name.endsWith('.d.ts')) cpSync(join(from, name), join(to, name));
}
