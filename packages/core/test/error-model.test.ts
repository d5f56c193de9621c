// Core's error model, read from the source: every error class extends P2PError, each condition has its own code,
// and nothing in core throws a plain Error (tests and generated code aside).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'gen') walk(p); continue; }
      if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
        out.push({ path: relative(SRC, p), text: readFileSync(p, 'utf8') });
      }
    }
  };
  walk(SRC);
  return out;
}

describe('core error model', () => {
  const files = sources();
  const classes = new Map<string, { base: string; codes: string[]; path: string }>();
  for (const { path, text } of files) {
    for (const m of text.matchAll(/export class (\w+) extends (\w+) \{([\s\S]*?)\n\}/g)) {
      const codes = [...m[3]!.matchAll(/super\('(ERR_[A-Z0-9_]+)'/g)].map((c) => c[1]!);
      classes.set(m[1]!, { base: m[2]!, codes, path });
    }
  }
  const errorClasses = [...classes].filter(([name]) => name.endsWith('Error') && name !== 'P2PError');

  it('derives every error class from P2PError', () => {
    const derives = (name: string): boolean => {
      const c = classes.get(name);
      return name === 'P2PError' || (c !== undefined && derives(c.base));
    };
    expect(errorClasses.length).toBeGreaterThan(20);
    expect(errorClasses.filter(([name]) => !derives(name)).map(([name]) => name)).toEqual([]);
  });

  it('gives each condition its own stable code', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const [name, c] of errorClasses) {
      for (const code of c.codes) {
        if (owner.has(code)) clashes.push(`${code}: ${owner.get(code)} and ${name}`);
        owner.set(code, name);
      }
    }
    expect(clashes).toEqual([]);
    expect(owner.get('ERR_PEER_NOT_FOUND')).toBe('PeerNotFoundError');
  });

  it('throws no plain Error', () => {
    const plain = files.filter(({ text }) => /new (Range|Type)?Error\(/.test(text)).map(({ path }) => path);
    expect(plain).toEqual([]);
  });
});
