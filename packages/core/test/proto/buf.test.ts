// buf guards the schema: lint passes, and `buf breaking` against the committed baseline image accepts the schema as
// it is but refuses a breaking change to v1 (a renumbered field, a changed type, a removed message).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTO_DIR, REPO_ROOT } from './schema.js';

const BUF = join(REPO_ROOT, 'node_modules', '.bin', 'buf');
const BASELINE = join(PROTO_DIR, 'baseline', 'image.binpb');
let scratch: string;

function buf(cwd: string, ...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(BUF, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A fresh copy of the proto module, without node_modules. */
function copyOf(): string {
  const dir = mkdtempSync(join(scratch, 'proto-'));
  cpSync(PROTO_DIR, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  return dir;
}

/** A fresh copy of the proto module with `edit` applied to one file. */
function copyWith(file: string, edit: (text: string) => string): string {
  const dir = copyOf();
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing: the test no longer tests anything`);
  writeFileSync(path, after);
  return dir;
}

const breaking = (dir: string) => buf(dir, 'breaking', '--against', BASELINE);

beforeAll(() => {
  if (!existsSync(BUF)) throw new Error(`buf not found at ${BUF}: run \`npm ci\` (it comes with @bufbuild/buf)`);
  if (!existsSync(BASELINE)) throw new Error(`no baseline image at ${BASELINE}`);
  scratch = mkdtempSync(join(tmpdir(), 'p2p-buf-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('buf', { timeout: 90_000 }, () => {
  it('lint passes on the schema', () => {
    const r = buf(PROTO_DIR, 'lint');
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('lint catches a badly named field', () => {
    const dir = copyWith('p2p/v1/chat.proto', (t) => t.replace('string from_name = 2;', 'string fromName = 2;'));
    const r = buf(dir, 'lint');
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/fromName/);
  });

  it('breaking accepts the unmodified schema and a compatible addition', () => {
    expect(breaking(copyOf())).toEqual({ status: 0, output: '' });
    const added = copyWith('p2p/v1/chat.proto', (t) => t.replace('uint64 sent_at_ms = 3;', 'uint64 sent_at_ms = 3;\n  // A new field.\n  string lang = 4;'));
    expect(breaking(added)).toEqual({ status: 0, output: '' });
  });

  it('breaking refuses a changed field number', () => {
    const dir = copyWith('p2p/v1/chat.proto', (t) => t.replace('string text = 1;', 'string text = 4;'));
    const r = breaking(dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/chat\.proto:.*field "1" with name "text" on message "Chat" was deleted/);
  });

  it('breaking refuses a changed field type', () => {
    const dir = copyWith('p2p/v1/liveness.proto', (t) => t.replace('uint64 nonce = 1;', 'string nonce = 1;'));
    const r = breaking(dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/liveness\.proto:.*"nonce" on message "Ping" changed type from "uint64" to "string"/);
  });

  it('breaking refuses a removed oneof case of Envelope', () => {
    const dir = copyWith('p2p/v1/envelope.proto', (t) => t.replace(/\n\s*\/\/ A search hit\.\n\s*Found found = 18;/, ''));
    const r = breaking(dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/envelope\.proto:.*field "18" with name "found" on message "Envelope" was deleted/);
  });

  it('the CI entry point (proto/scripts/breaking.mjs) fails on a breaking change and passes without one', () => {
    // Run from a copy outside git: no release tag there, so the script compares with the copied baseline image.
    const env = { ...process.env, PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
    const script = (dir: string) => spawnSync(process.execPath, ['scripts/breaking.mjs'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(script(copyOf()).status).toBe(0);
    const r = script(copyWith('p2p/v1/file.proto', (t) => t.replace('uint32 block_size = 6;', 'uint64 block_size = 6;')));
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/"block_size" on message "Found" changed type/);
  });
});
