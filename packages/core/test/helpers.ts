import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNode } from '../src/node/create-node.js';
import type { NodeExtensions } from '../src/node/extensions.js';
import type { NodeConfig, P2PNode } from '../src/node/types.js';

/** A node under test. */
export type TestNode = P2PNode & NodeExtensions;

/** Creates temp data dirs and nodes, and cleans everything up. */
export class Harness {
  readonly nodes: TestNode[] = [];
  private readonly dirs: string[] = [];

  /** A fresh private directory. */
  async dir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'p2p-test-'));
    this.dirs.push(d);
    return d;
  }

  /** Creates and starts a node on loopback with LAN discovery off unless asked. */
  async node(config: Partial<NodeConfig> = {}): Promise<TestNode> {
    const node = createNode({
      dataDir: config.dataDir ?? (await this.dir()),
      listen: { host: '127.0.0.1', port: 0 },
      ...config,
      lan: { enabled: false, ...config.lan },
    });
    this.nodes.push(node);
    await node.start();
    return node;
  }

  /** Stops every node and removes the directories. */
  async cleanup(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop().catch(() => undefined)));
    for (const d of this.dirs) await rm(d, { recursive: true, force: true });
  }
}

/** Polls `check` until it returns true or the deadline passes. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Address of a started node as a seed entry. */
export function addressOf(node: P2PNode): { host: string; port: number } {
  const a = node.listenAddress();
  if (!a) throw new Error('node not listening');
  return { host: a.host, port: a.port };
}
