import { Worker } from 'node:worker_threads';
import { computeRoot, MAX_BLOCK_SIZE, MIN_BLOCK_SIZE, TARGET_BLOCK_COUNT } from './block-layout.js';
import { FileHashingError } from './errors.js';

/** Everything the index keeps about a file's content. */
export interface FileDigest {
  /** Size in bytes when hashed. */
  size: number;
  /** SHA-256 of the whole file. */
  sha256: Uint8Array;
  /** Block size used. */
  blockSize: number;
  /** SHA-256 of every block, concatenated in order. */
  hashes: Uint8Array;
  /** The root over size, block size and block hashes. */
  root: Uint8Array;
}

/** Hashes files off the main thread. */
export interface FileHasher {
  /** Hashes one file (jobs run one at a time, in order). */
  hash(path: string): Promise<FileDigest>;
  /** Stops the worker; pending jobs reject. */
  close(): Promise<void>;
}

// The worker is plain JavaScript evaluated from a string, so the same code runs from the TypeScript sources (tests)
// and from dist/ without a separate build step for it.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync, fstatSync } = require('node:fs');
// A failure the worker reports as a message; the main thread turns it into a FileHashingError.
class HashFailure extends Error {}
parentPort.on('message', ({ id, path, rule }) => {
  const blockSizeFor = (size) => {
    let bs = rule.min;
    while (bs < rule.max && Math.ceil(size / bs) >= rule.target) bs *= 2;
    return bs;
  };
  let fd;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) throw new HashFailure('not a regular file');
    const size = st.size;
    const bs = blockSizeFor(size);
    const count = Math.ceil(size / bs);
    const hashes = new Uint8Array(count * 32);
    const whole = createHash('sha256');
    const buf = Buffer.allocUnsafe(bs);
    for (let i = 0; i < count; i++) {
      const want = Math.min(bs, size - i * bs);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, i * bs + got);
        if (n === 0) throw new HashFailure('file shrank while hashing');
        got += n;
      }
      const view = buf.subarray(0, want);
      whole.update(view);
      hashes.set(createHash('sha256').update(view).digest(), i * 32);
    }
    const after = fstatSync(fd);
    if (after.size !== size || after.mtimeMs !== st.mtimeMs) throw new HashFailure('file changed while hashing');
    const sha = new Uint8Array(whole.digest());
    parentPort.postMessage({ id, ok: true, size, blockSize: bs, hashes, sha256: sha }, [hashes.buffer, sha.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: String(err && err.message || err) });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;

// The block-size rule's constants travel with every job, so the worker and blockSizeFor never disagree.
const RULE = { min: MIN_BLOCK_SIZE, max: MAX_BLOCK_SIZE, target: TARGET_BLOCK_COUNT };

interface Job { resolve: (d: FileDigest) => void; reject: (e: Error) => void }

/** A hasher with one worker thread, started on first use; hashing never blocks the event loop. */
export function createFileHasher(): FileHasher {
  let worker: Worker | undefined;
  let nextId = 1;
  const jobs = new Map<number, Job>();
  const failAll = (err: Error): void => {
    for (const j of jobs.values()) j.reject(err);
    jobs.clear();
  };
  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on('message', (m: { id: number; ok: boolean; error?: string; size: number; blockSize: number; hashes: Uint8Array; sha256: Uint8Array }) => {
      const job = jobs.get(m.id);
      if (!job) return;
      jobs.delete(m.id);
      if (!m.ok) return job.reject(new FileHashingError(m.error ?? 'hashing failed'));
      job.resolve({ size: m.size, blockSize: m.blockSize, hashes: m.hashes, sha256: m.sha256, root: computeRoot(m.size, m.blockSize, m.hashes) });
    });
    w.on('error', (err) => { worker = undefined; failAll(err); });
    w.on('exit', () => { worker = undefined; failAll(new FileHashingError('hasher stopped')); });
    worker = w;
    return w;
  };
  return {
    hash(path) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        jobs.set(id, { resolve, reject });
        ensure().postMessage({ id, path, rule: RULE });
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
      failAll(new FileHashingError('hasher closed'));
    },
  };
}
