// A hand-aligned text table for benchmark output: numbers right-aligned, text left-aligned, one header rule.

/**
 * Formats rows as an aligned table.
 * @param {{ key: string, title: string, align?: 'left' | 'right' }[]} columns
 * @param {Record<string, string | number>[]} rows
 * @returns {string}
 */
export function formatTable(columns, rows) {
  const cells = rows.map((row) => columns.map((c) => String(row[c.key] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i].length)));
  const line = (values) =>
    values
      .map((v, i) => ((columns[i].align ?? 'right') === 'left' ? v.padEnd(widths[i]) : v.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Formats a rate with thousands separators and a sensible number of decimals. */
export function formatRate(n) {
  if (!Number.isFinite(n)) return 'n/a';
  const digits = n >= 100 ? 0 : n >= 10 ? 1 : 2;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
