import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeNotStartedError, WaitTimeoutError } from '../errors.js';
import type { HostPort } from '../transport/host-port.js';
import { createNode } from '../node/create-node.js';
import type { NodeExtensions } from '../node/extensions.js';
import type { NodeConfig, P2PNode } from '../node/types.js';

/** A node under test. */
export type TestNode = P2PNode & NodeExtensions;

/** Creates temp data dirs and nodes on loopback, and cleans everything up. */
export class Harness {
  /** Every node created, started or not. */
  readonly nodes: TestNode[] = [];
  private readonly dirs: string[] = [];

  /** A fresh private directory. */
  async dir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'p2p-test-'));
    this.dirs.push(d);
    return d;
  }

  /** Creates and starts a node listening on 127.0.0.1 with LAN discovery off unless asked. */
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

/** Polls `check` until it returns true; rejects with WaitTimeoutError once `timeoutMs` has passed. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new WaitTimeoutError(what, timeoutMs);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Address of a started node, as a seed entry or a connect target. */
export function addressOf(node: P2PNode): HostPort {
  const a = node.listenAddress();
  if (!a) throw new NodeNotStartedError();
  return { host: a.host, port: a.port };
}
