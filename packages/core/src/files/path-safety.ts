import { lstat, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { UnsafePathError } from './errors.js';

/** Longest relative name accepted from anyone. */
export const MAX_NAME_LENGTH = 4096;

/**
 * Checks the text of a share-relative name before it touches the file system: forward slashes only, no `..`, `.` or
 * empty segments, not absolute, no NUL or control characters, no percent-encoding (it would hide `..` from a later
 * decoder). Throws UnsafePathError naming the trick.
 */
export function checkRelativeName(name: string): string[] {
  if (typeof name !== 'string' || name.length === 0) throw new UnsafePathError(String(name), 'empty name');
  if (name.length > MAX_NAME_LENGTH) throw new UnsafePathError(name, 'name too long');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UnsafePathError(name, 'NUL or control character');
  if (name.includes('\\')) throw new UnsafePathError(name, 'backslash');
  if (name.startsWith('/') || isAbsolute(name) || /^[a-zA-Z]:/.test(name)) throw new UnsafePathError(name, 'absolute path');
  if (/%[0-9a-fA-F]{2}/.test(name)) throw new UnsafePathError(name, 'percent-encoded characters');
  const parts = name.split('/');
  for (const p of parts) {
    if (p === '..') throw new UnsafePathError(name, "'..' segment");
    if (p === '.' || p === '') throw new UnsafePathError(name, "empty or '.' segment");
  }
  return parts;
}

/**
 * Resolves a share-relative name to the real path of a regular file inside the share, or throws UnsafePathError:
 * the text is checked first, then the real path (symlinks resolved) must stay inside the share's real path, and
 * the target must be a regular file (no directory, device, FIFO or socket).
 */
export async function resolveInShare(shareDir: string, name: string): Promise<string> {
  const parts = checkRelativeName(name);
  let root: string;
  try {
    root = await realpath(shareDir);
  } catch {
    throw new UnsafePathError(name, 'share directory is gone');
  }
  let real: string;
  try {
    real = await realpath(join(root, ...parts));
  } catch {
    throw new UnsafePathError(name, 'no such file');
  }
  if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) throw new UnsafePathError(name, 'leaves the share (symlink)');
  const st = await stat(real);
  if (!st.isFile()) throw new UnsafePathError(name, 'not a regular file');
  return real;
}

/** True when `path` is a regular file and not a symlink (the indexer only takes those, or links it resolved itself). */
export async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch {
    return false;
  }
}

// Control characters (C0 and C1), format characters (bidi overrides such as U+202E, which show `invoice\u202Efdp.exe`
// as "invoiceexe.pdf", zero-width ones) and line separators: never part of a name written to disk.
const RESERVED = /[<>:"|?*\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * Turns a name announced by a holder into one safe file name in the downloads directory: only the last segment of
 * either slash, control, format (bidi) and reserved characters replaced, no leading dots (no `..`, no hidden
 * files), at most 200 bytes; never empty.
 */
export function sanitizeDownloadName(name: string): string {
  const last = String(name).split(/[\\/]/).pop() ?? '';
  // Cut to 200 UTF-16 units first: trimming a megabyte-long name one character at a time was quadratic.
  let out = last.slice(0, 400).replace(RESERVED, '_').replace(/^[.\s]+/, '').slice(0, 200).replace(/[.\s]+$/, '');
  while (Buffer.byteLength(out) > 200) out = out.slice(0, -1);
  out = out.replace(/[\ud800-\udbff]$/, '');
  if (out === '' || out === '.' || out === '..') out = 'download';
  if (/\.part(\.json)?$/i.test(out)) out += '_';
  return out;
}
