import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileService, type FileService, type FileServiceInit } from '../../src/files/index.js';
import { Harness, type TestNode } from '../helpers.js';
import type { NodeConfig } from '../../src/node/types.js';

/** tmpfs when there is one, so big test files cost no disk. */
export const FAST_TMP = '/dev/shm';

/** A node with a file service, plus the block requests it served (root -> index -> count). */
export interface FileNodeUnderTest {
  node: TestNode;
  files: FileService;
  requests: Map<string, Map<number, number>>;
  dataDir: string;
}

/** Nodes with file services on loopback, cleaned up together. */
export class FileHarness {
  readonly h = new Harness();
  private readonly services: FileService[] = [];
  private readonly dirs: string[] = [];

  /** A fresh directory on tmpfs. */
  async dir(): Promise<string> {
    const d = await mkdtemp(join(FAST_TMP, 'p2p-files-'));
    this.dirs.push(d);
    return d;
  }

  /** Starts a node and its file service (requests counted into `requests`, or a shared map). */
  async start(config: Partial<NodeConfig> = {}, files: Partial<FileServiceInit> = {}, requests = new Map<string, Map<number, number>>()): Promise<FileNodeUnderTest> {
    const dataDir = config.dataDir ?? (await this.dir());
    const node = await this.h.node({ ...config, dataDir });
    const svc = createFileService({
      node, dataDir, watch: false, ...files,
      onBlockRequest: (_peer, root, index, count) => {
        const m = requests.get(root) ?? new Map<number, number>();
        requests.set(root, m);
        for (let i = index; i < index + count; i++) m.set(i, (m.get(i) ?? 0) + 1);
        files.onBlockRequest?.(_peer, root, index, count);
      },
    });
    await svc.start();
    this.services.push(svc);
    return { node, files: svc, requests, dataDir };
  }

  /** Stops a node and its service (as a crash-free shutdown would). */
  async stop(n: FileNodeUnderTest): Promise<void> {
    await n.files.stop();
    await n.node.stop();
  }

  /** Stops everything and removes the directories. */
  async cleanup(): Promise<void> {
    for (const s of this.services) await s.stop().catch(() => undefined);
    await this.h.cleanup();
    for (const d of this.dirs) await rm(d, { recursive: true, force: true });
  }
}

/** Writes `size` random bytes to `path` in 1 MiB chunks; returns the SHA-256 in hex. */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let left = size; left > 0;) {
    const n = Math.min(left, 1024 * 1024);
    const chunk = randomBytes(n);
    hash.update(chunk);
    left -= n;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return hash.digest('hex');
}

/** SHA-256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
