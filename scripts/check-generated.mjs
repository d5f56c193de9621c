#!/usr/bin/env node
// Regenerates the codecs and fails if the committed files differ: generated code must match proto/.
import { execFileSync, spawnSync } from 'node:child_process';

execFileSync('npm', ['run', 'generate', '--workspace', '@p2p/core'], { stdio: 'inherit' });
const diff = spawnSync('git', ['status', '--porcelain', '--', 'packages/core/src/gen'], { encoding: 'utf8' });
if (diff.status !== 0) {
  console.error('check-generated: git status failed');
  process.exit(1);
}
if (diff.stdout.trim()) {
  console.error('check-generated: regenerating changed committed files; run `npm run generate` and commit:');
  console.error(diff.stdout);
  spawnSync('git', ['--no-pager', 'diff', '--stat', '--', 'packages/core/src/gen'], { stdio: 'inherit' });
  process.exit(1);
}
console.log('check-generated: generated codecs match proto/');
