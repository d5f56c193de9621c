#!/usr/bin/env node
// Runs `buf breaking` against the newest release tag (v*), or against the committed baseline image while the
// project has no release yet. A breaking change to the wire format must fail CI, so any failure exits non-zero.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const protoDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function latestReleaseTag() {
  try {
    const out = execFileSync('git', ['tag', '--list', 'v*', '--sort=-v:refname'], { cwd: protoDir, encoding: 'utf8' });
    return out.split('\n').map((s) => s.trim()).find(Boolean);
  } catch {
    return undefined;
  }
}

const tag = latestReleaseTag();
let against;
if (tag) {
  const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: protoDir, encoding: 'utf8' }).trim();
  against = `${join(top, '.git')}#tag=${tag},subdir=proto`;
} else {
  against = join(protoDir, 'baseline', 'image.binpb');
  if (!existsSync(against)) {
    console.error(`breaking: no release tag and no baseline image at ${against}; run \`npm run baseline -w @p2p/proto\``);
    process.exit(1);
  }
}
console.log(`buf breaking against ${tag ? `tag ${tag}` : 'baseline/image.binpb'}`);
const r = spawnSync('buf', ['breaking', '--against', against], { cwd: protoDir, stdio: 'inherit' });
process.exit(r.status ?? 1);
