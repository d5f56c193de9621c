/** A root or hash shortened for a table: its first 12 hex digits. */
export function shortHex(hex: string): string {
  return hex.slice(0, 12);
}
