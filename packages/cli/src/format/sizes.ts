/** A byte count for people: "512 B", "1.5 KiB", "200.0 MiB", "1.00 GiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${units[u]}`;
}

/** A root or hash shortened for a table: its first 12 hex digits. */
export function shortHex(hex: string): string {
  return hex.slice(0, 12);
}
