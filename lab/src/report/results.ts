/** The JSON results the report reads: one file per benchmark in the results directory, each optional. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every result file by name (without .json); a file that does not parse is skipped with a note. */
export function readResults(dir: string): { results: Map<string, Record<string, unknown>>; notes: string[] } {
  const results = new Map<string, Record<string, unknown>>();
  const notes: string[] = [];
  if (!existsSync(dir)) return { results, notes: [`no results directory ${dir}`] };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      results.set(file.slice(0, -5), JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>);
    } catch (err) {
      notes.push(`${file}: ${(err as Error).message}`);
    }
  }
  return { results, notes };
}

/** Reads a nested value by path ("memory.perSessionKiB"), or undefined. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A number read by path, or NaN. */
export function num(obj: unknown, path: string): number {
  const v = at(obj, path);
  return typeof v === 'number' ? v : NaN;
}

/** Formats a number with `digits` decimals, or "n/a". */
export function fmt(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
}

/** A markdown table. */
export function mdTable(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
