#!/usr/bin/env node
// Writes the golden vectors under proto/vectors/ from their definitions in vector-definitions.mjs. Run it ONCE when
// the protocol gains a message (after `npm run build -w @p2p/core`), review, commit: from then on the files are the
// reference and vectors.test.ts checks the codecs against them, both ways. It only adds files: changing an existing
// vector means changing the wire format, which v1 forbids, so that needs --force and a very good reason.
//
// Usage: node packages/core/test/proto/generate-vectors.mjs [--check | --force]
//   --check  writes nothing; exits 1 if a file is missing or differs from its definition.
//   --force  also overwrites existing files that differ.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { control, v1 } from '../../dist/wire.js';
import { VECTOR_DEFINITIONS } from './vector-definitions.mjs';

const vectorsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'proto', 'vectors');
// The protobuf JSON mapping of the vectors; 64-bit integers stay numbers (the runtime decodes them so).
const JSON_OPTIONS = { longs: Number, enums: String, bytes: String, defaults: false, oneofs: false, json: true };
const codecs = { 'p2p.v1.Envelope': v1.Envelope, 'p2p.control.v1.Request': control.Request, 'p2p.control.v1.Response': control.Response, 'p2p.v1.CliqueLineList': v1.CliqueLineList };
const check = process.argv.includes('--check');
const force = process.argv.includes('--force');

let problems = 0;
let written = 0;
for (const { file: rel, name, type, description, json } of VECTOR_DEFINITIONS) {
  const codec = codecs[type];
  const hex = Buffer.from(codec.encode(codec.fromObject(json)).finish()).toString('hex');
  const back = codec.toObject(codec.decode(Buffer.from(hex, 'hex')), JSON_OPTIONS);
  // A definition that does not survive its own round trip (a misspelt field, a default value that proto3 leaves
  // off the wire) must not become a golden vector.
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(back)), json)) {
    console.error(`${name}: the definition does not round-trip:\n  ${JSON.stringify(json)}\n  ${JSON.stringify(back)}`);
    process.exit(1);
  }
  const file = join(vectorsDir, rel);
  const text = `${JSON.stringify({ type, name, description, hex, json }, null, 2)}\n`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === text) continue;
  if (check || (current !== undefined && !force)) {
    console.error(current === undefined ? `missing: ${rel}` : `differs from its definition: ${rel}`);
    problems++;
    continue;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  written++;
}
if (problems) {
  if (!check) console.error('existing vectors were left alone: the wire format must not change (--force overrides)');
  process.exit(1);
}
console.log(check ? `${VECTOR_DEFINITIONS.length} vectors up to date` : `wrote ${written} new vector(s) under ${vectorsDir}`);
