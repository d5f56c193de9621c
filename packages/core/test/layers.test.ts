// The folders of src/ form layers: none imports a folder that imports it back, directly or around a circle.
// Counted from the code's own relative imports, tests and generated code aside (the same rule CI's hook checks).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** Folder of src/ a path lies in; undefined for files at the top of src/ (errors.ts, index.ts). */
function folderOf(path: string): string | undefined {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** Folder -> folders it imports, from every non-test .ts file outside gen/. */
function importGraph(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'gen') walk(p); continue; }
      if (!e.name.endsWith('.ts') || /\.(test|spec)\.ts$|\.d\.ts$/.test(e.name)) continue;
      for (const m of readFileSync(p, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const a = folderOf(p);
        const b = folderOf(resolve(dirname(p), m[1]!));
        if (a && b && a !== b) {
          if (!edges.has(a)) edges.set(a, new Set());
          edges.get(a)!.add(b);
        }
      }
    }
  };
  walk(SRC);
  return edges;
}

/** Every import a -> b such that b reaches a again. */
function circularEdges(edges: Map<string, Set<string>>): string[] {
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const n = stack.pop()!;
      for (const next of edges.get(n) ?? []) {
        if (next === to) return true;
        if (!seen.has(next)) { seen.add(next); stack.push(next); }
      }
    }
    return false;
  };
  const out: string[] = [];
  for (const [a, bs] of edges) for (const b of bs) if (reaches(b, a)) out.push(`${a} -> ${b}`);
  return out.sort();
}

describe('layers of packages/core/src', () => {
  it('has no import circle between folders', () => {
    expect(circularEdges(importGraph())).toEqual([]);
  });

  it('keeps the bottom folders free of the ones above them', () => {
    const edges = importGraph();
    for (const bottom of ['util', 'codec', 'identity']) {
      expect([...(edges.get(bottom) ?? [])].filter((b) => !['util', 'codec', 'gen'].includes(b)), bottom).toEqual([]);
    }
    expect([...(edges.get('direct') ?? [])]).not.toContain('broadcast');
  });
});
