import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { daemonSocketPath } from '@p2p/control';
import { createFileService, P2PError, type FileService, type HostPort, type InboundMessage, type Logger, type NodeConfig } from '@p2p/core';
import { NodeStartError } from '../errors.js';
import { formatHostPort, checkConfig, toNodeConfig, type DaemonConfig } from '../config/index.js';
import { assertNoDaemonOn, createControlServer, type ControlServer, type DaemonNode } from '../control/index.js';
import { openInbox, type Inbox, type InboxRecord } from '../inbox/index.js';
import { DAEMON_VERSION } from '../version.js';
import { createNodeMetrics, startMetricsServer, type MetricsServer } from '../metrics/index.js';

/** File name of the inbox inside the data directory. */
export const INBOX_FILE_NAME = 'inbox.jsonl';

/** What startDaemon needs besides the configuration. */
export interface DaemonDeps {
  /** Builds the node (core's createNode; tests may pass another). */
  createNode: (config: NodeConfig) => DaemonNode;
  /** Where everything is logged. */
  logger: Logger;
  /** Environment the socket location is derived from (XDG_RUNTIME_DIR, RUNTIME_DIRECTORY); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** A daemon that is up: node started, control socket and metrics listening. */
export interface RunningDaemon {
  /** The node. */
  readonly node: DaemonNode;
  /** The control server. */
  readonly control: ControlServer;
  /** The durable inbox. */
  readonly inbox: Inbox;
  /** File sharing. */
  readonly files: FileService;
  /** Path of the control socket. */
  readonly socketPath: string;
  /** Where metrics are served, when enabled. */
  readonly metricsAddress: HostPort | undefined;
  /** Closes the control socket and metrics, says goodbye to peers, flushes the inbox. */
  stop(): Promise<void>;
}

/** Longest the node is given to say goodbye before the rest of the shutdown goes on without it. */
const NODE_STOP_BUDGET_MS = 800;

function toRecord(message: InboundMessage, selfName: string): InboxRecord | undefined {
  if (message.text === undefined) return undefined;
  return {
    id: message.id, from: message.fromName, fromPeerId: message.from, to: message.kind === 'direct' ? selfName : '*',
    kind: message.kind, text: message.text, receivedAt: new Date(message.receivedAtMs).toISOString(),
  };
}

/** Starts everything the daemon runs; on any failure, whatever was started is stopped again and the error rethrown. */
export async function startDaemon(config: DaemonConfig, deps: DaemonDeps): Promise<RunningDaemon> {
  const { logger } = deps;
  await checkConfig(config);
  const startedAt = performance.now();
  const socketPath = daemonSocketPath({ dataDir: config.dataDir, socket: config.socket, env: deps.env ?? process.env });
  // Before the inbox is opened: repairing a torn tail must never race a running daemon's writes.
  await assertNoDaemonOn(socketPath);
  const cleanups: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => logger.error({ err }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  try {
    const inbox = await openInbox({ path: join(config.dataDir, INBOX_FILE_NAME), logger });
    cleanups.push(() => inbox.close());
    // The node awaits `persist` before acknowledging a direct message: "delivered" means fsync'd to the inbox.
    const node: DaemonNode = deps.createNode({
      ...toNodeConfig(config, logger),
      persist: async (message) => {
        const record = toRecord(message, node.name);
        if (record) await inbox.appendDurable(record);
      },
    });
    node.on('peer:connect', (peer) => logger.info({ peerId: peer.peerId, peerName: peer.name, address: formatHostPort(peer.address) }, 'peer connected'));
    node.on('peer:disconnect', (event) => logger.info(event, 'peer disconnected'));
    // Warnings need no listener here: the node logs them itself through this same logger.

    // Built now, started once the node runs: until then its calls answer NOT_STARTED.
    const files = createFileService({
      node, dataDir: config.dataDir, shares: config.shares, logger,
      ...(config.downloads ? { downloadsDir: config.downloads } : {}),
    });
    const controlServer: ControlServer = createControlServer({
      socketPath, node, inbox, files, logger, defaultTimeoutMs: 5000, version: DAEMON_VERSION, now: () => performance.now(), startedAt,
      ...(config.socketMode !== undefined ? { socketMode: config.socketMode } : {}),
      ...(config.controlIdleTimeout !== undefined ? { idleTimeoutMs: config.controlIdleTimeout * 1000 } : {}),
    });
    // Bound before the node starts so a second daemon on the same data directory stops before touching it.
    await controlServer.listen();
    cleanups.push(() => controlServer.close());

    try {
      await node.start();
    } catch (err) {
      // Typed errors already say what is wrong; a raw system error (EADDRINUSE...) gets one line of context.
      throw err instanceof P2PError ? err : new NodeStartError(err);
    }
    cleanups.push(() =>
      Promise.race([
        node.stop(),
        new Promise<void>((resolve) => setTimeout(resolve, NODE_STOP_BUDGET_MS).unref()),
      ]));
    // Shares are indexed before the daemon says it is ready (unchanged files are not hashed again).
    await files.start();
    // Partial downloads are flushed and kept before the node says goodbye.
    cleanups.push(() => files.stop());

    let metrics: MetricsServer | undefined;
    if (config.metrics) {
      const registry = createNodeMetrics({ node, inbox, controlClients: controlServer.clientCount });
      metrics = await startMetricsServer(registry, config.metrics, logger);
      cleanups.push(() => metrics!.close());
    }
    // Cleanups run in reverse: metrics, node, control socket, inbox (closed last so late messages are kept).

    return {
      node, control: controlServer, inbox, files, socketPath, metricsAddress: metrics?.address(),
      stop: unwind,
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
