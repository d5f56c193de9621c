// Runs Debian's protoc (package protobuf-compiler), an implementation of protobuf independent of protobufjs, on the
// same .proto files our codecs are generated from.
import { execFileSync, spawnSync } from 'node:child_process';
import { PROTO_DIR, TOP_LEVEL, type TopLevelType } from '../proto/schema.js';

const PROTOC = process.env.PROTOC ?? 'protoc';

/** Returns protoc's version line, or throws a clear error when protoc is not installed: never a silent skip. */
export function requireProtoc(): string {
  const r = spawnSync(PROTOC, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `protoc is required by the interop test and was not found (${r.error?.message ?? r.stderr}). ` +
        'Install it with `apt-get install protobuf-compiler` (.ci/run does), or point $PROTOC at it.',
    );
  }
  return r.stdout.trim();
}

function run(args: string[], input: Uint8Array | string): Buffer {
  try {
    return execFileSync(PROTOC, args, { cwd: PROTO_DIR, input, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`protoc ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`);
  }
}

/** `protoc --decode=<type>`: protoc's text-format reading of `bytes`. */
export function protocDecode(type: TopLevelType, bytes: Uint8Array): string {
  return run([`--decode=${type}`, '-I', PROTO_DIR, TOP_LEVEL[type]], bytes).toString('utf8');
}

/** `protoc --encode=<type>`: protoc's encoding of a text-format message. */
export function protocEncode(type: TopLevelType, text: string): Uint8Array {
  return new Uint8Array(run([`--encode=${type}`, '-I', PROTO_DIR, TOP_LEVEL[type]], text));
}
