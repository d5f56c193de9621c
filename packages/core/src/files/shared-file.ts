/** A file this node shares, as kept in the index. */
export interface SharedFile {
  /** The share directory it was found under (as configured). */
  share: string;
  /** Name relative to the share, with forward slashes. */
  name: string;
  /** Real path on disk. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Modification time when hashed, ms. */
  mtimeMs: number;
  /** Inode when hashed. */
  ino: number;
  /** SHA-256 of the whole file. */
  sha256: Uint8Array;
  /** Block size. */
  blockSize: number;
  /** Block hashes, 32 bytes each, in order. */
  hashes: Uint8Array;
  /** Root over size, block size and block hashes. */
  root: Uint8Array;
  /** Root in hex (the key of the index). */
  rootHex: string;
}

/** The last segment of a share-relative name. */
export function baseName(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? name : name.slice(i + 1);
}

/** True when a shared file answers a search: exact compares the whole relative name or its last segment. */
export function matchesQuery(file: SharedFile, query: string, exact: boolean): boolean {
  if (exact) return file.name === query || baseName(file.name) === query;
  return file.name.toLowerCase().includes(query.toLowerCase());
}
