import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { daemonSocketPath } from '@p2p/control';
import { createFileService, type CliqueServer, type FileService, type HostPort, type Logger, type NodeConfig, type P2PNode } from '@p2p/core';
import { checkConfig, type DaemonConfig } from '../config/index.js';
import { CONTACTS_FILE_NAME, openContacts, type Contacts } from '../contacts/index.js';
import { assertNoDaemonOn, createControlServer, type ControlServer, type DaemonNode } from '../control/index.js';
import { openInbox, type Inbox, type InboxLimits } from '../inbox/index.js';
import { createNodeMetrics, startMetricsServer, type MetricsServer } from '../metrics/index.js';
import { DAEMON_VERSION } from '../version.js';
import { startNode as startBareNode, stopNode as stopBareNode } from './node-runner.js';
import { startClique } from './clique.js';
import { planReload, type ReloadPlan } from './reload-plan.js';

/** File name of the inbox inside the data directory. */
export const INBOX_FILE_NAME = 'inbox.jsonl';
/** Control clients idle this long are disconnected unless configured otherwise, seconds. */
export const DEFAULT_CONTROL_IDLE_TIMEOUT_S = 60;

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
  /** The node (a new one after a reload that changed its settings). */
  readonly node: DaemonNode;
  /** The control server. */
  readonly control: ControlServer;
  /** The durable inbox. */
  readonly inbox: Inbox;
  /** File sharing on the current node. */
  readonly files: FileService;
  /** Path of the control socket. */
  readonly socketPath: string;
  /** Where metrics are served, when enabled. */
  readonly metricsAddress: HostPort | undefined;
  /** The clique server, with role server (a new one after a reload that restarted the node). */
  readonly clique: CliqueServer | undefined;
  /**
   * Applies a new configuration: live settings at once, node settings by restarting the node in place; settings
   * that need a restart of p2pd are left as they are and named in the plan returned.
   */
  reload(next: DaemonConfig): Promise<ReloadPlan>;
  /** Closes the control socket and metrics, says goodbye to peers, flushes the inbox. */
  stop(): Promise<void>;
}

/** The settings a reload applies without restarting anything. */
function liveSettings(next: DaemonConfig): Partial<DaemonConfig> {
  return {
    logLevel: next.logLevel, metrics: next.metrics, controlIdleTimeout: next.controlIdleTimeout,
    inboxQuota: next.inboxQuota, inboxSenderShare: next.inboxSenderShare, inboxSenderRate: next.inboxSenderRate,
  };
}

function inboxLimits(config: DaemonConfig): InboxLimits {
  return {
    ...(config.inboxQuota !== undefined ? { totalBytes: config.inboxQuota } : {}),
    ...(config.inboxSenderShare !== undefined ? { senderShareBytes: config.inboxSenderShare } : {}),
    ...(config.inboxSenderRate !== undefined ? { senderRate: config.inboxSenderRate } : {}),
  };
}

/** Starts everything the daemon runs; on any failure, whatever was started is stopped again and the error rethrown. */
export async function startDaemon(initial: DaemonConfig, deps: DaemonDeps): Promise<RunningDaemon> {
  const { logger } = deps;
  let config = initial;
  await checkConfig(config);
  if (config.insecure) {
    logger.warn('insecure mode: sessions are plaintext and prove no identity; anyone on the path can read them, and a peer '
      + 'can claim any peer ID in its Hello. Signatures still prove who wrote messages, and relayed directs are sealed only '
      + 'to keys already known. Use it only in a lab.');
  }
  const startedAt = performance.now();
  const socketPath = daemonSocketPath({ dataDir: config.dataDir, socket: config.socket, env: deps.env ?? process.env });
  // Before the inbox is opened: repairing a torn tail must never race a running daemon's writes.
  await assertNoDaemonOn(socketPath);
  let inbox: Inbox | undefined;
  let controlServer: ControlServer | undefined;
  let node: DaemonNode | undefined;
  let metrics: MetricsServer | undefined;
  let contacts: Contacts | undefined;
  let files: FileService | undefined;
  let clique: CliqueServer | undefined;
  // With role server the clique lives on the node: started after it, stopped before it, restarted with it.
  async function startNode(cfg: DaemonConfig, box: Inbox, log: Logger, create: DaemonDeps['createNode'], book?: Contacts): Promise<DaemonNode> {
    const started = await startBareNode(cfg, box, log, create, book);
    if (cfg.role !== 'server') return started;
    try {
      clique = await startClique(cfg, started as unknown as P2PNode, log);
    } catch (err) {
      await stopBareNode(started);
      throw err;
    }
    return started;
  }
  async function stopNode(n: DaemonNode): Promise<void> {
    const c = clique;
    clique = undefined;
    await c?.stop().catch((err: unknown) => logger.error({ err }, 'clique stop failed'));
    await stopBareNode(n);
  }
  // Metrics read whichever node is current, so a node restarted by a reload needs no new registry.
  const currentNode = { peers: () => node!.peers(), stats: () => node!.stats() } as unknown as P2PNode;

  async function openMetrics(at: HostPort | undefined): Promise<void> {
    if (!at) return;
    const m = createNodeMetrics({ node: currentNode, inbox: inbox!, controlClients: controlServer!.clientCount, version: DAEMON_VERSION });
    const health = () => (node ? { ok: true, detail: 'ok' } : { ok: false, detail: 'the node is restarting' });
    const server = await startMetricsServer(m.registry, at, logger, health).catch((err: unknown) => {
      m.stop();
      throw err;
    });
    metrics = {
      address: server.address,
      close: async () => {
        m.stop();
        await server.close();
      },
    };
  }

  // File sharing lives on one node: a node restarted by a reload gets a new one (the index and partial downloads
  // are on disk, so nothing is hashed or fetched again). Shares are indexed before the daemon says it is ready.
  async function startFiles(n: DaemonNode, cfg: DaemonConfig): Promise<FileService> {
    const f = createFileService({
      node: n, dataDir: cfg.dataDir, shares: cfg.shares, logger, ...(cfg.downloads ? { downloadsDir: cfg.downloads } : {}),
    });
    await f.start();
    return f;
  }

  // In reverse order of starting: metrics, files (partial downloads flushed and kept), node, control socket, inbox
  // (closed last so late messages are kept).
  async function stop(): Promise<void> {
    const [m, f, n, c, i] = [metrics, files, node, controlServer, inbox];
    metrics = undefined;
    files = undefined;
    node = undefined;
    controlServer = undefined;
    inbox = undefined;
    const steps: [string, (() => Promise<void>) | undefined][] = [
      ['metrics', m && (() => m.close())], ['files', f && (() => f.stop())], ['node', n && (() => stopNode(n))],
      ['control socket', c && (() => c.close())], ['contacts', contacts && (() => contacts!.flush())], ['inbox', i && (() => i.close())],
    ];
    for (const [what, step] of steps) await step?.().catch((err: unknown) => logger.error({ err, step: what }, 'shutdown step failed'));
  }

  try {
    inbox = await openInbox({ path: join(config.dataDir, INBOX_FILE_NAME), logger, limits: inboxLimits(config) });
    contacts = await openContacts(join(config.dataDir, CONTACTS_FILE_NAME), logger);
    controlServer = createControlServer({
      socketPath, node: undefined as unknown as DaemonNode, inbox, logger, contacts, defaultTimeoutMs: 5000, version: DAEMON_VERSION,
      now: () => performance.now(), startedAt, socketMode: config.socketMode ?? 0o600,
      idleTimeoutMs: (config.controlIdleTimeout ?? DEFAULT_CONTROL_IDLE_TIMEOUT_S) * 1000,
    });
    // Bound before the node starts so a second daemon on the same data directory stops before touching it.
    await controlServer.listen();
    node = await startNode(config, inbox, logger, deps.createNode, contacts);
    controlServer.update({ node });
    files = await startFiles(node, config);
    controlServer.update({ files });
    await openMetrics(config.metrics);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    get node() {
      return node!;
    },
    get control() {
      return controlServer!;
    },
    get inbox() {
      return inbox!;
    },
    get files() {
      return files!;
    },
    socketPath,
    get metricsAddress() {
      return metrics?.address();
    },
    get clique() {
      return clique;
    },
    async reload(next) {
      const plan = planReload(config, next);
      if (plan.live.includes('controlIdleTimeout')) {
        controlServer!.update({ idleTimeoutMs: (next.controlIdleTimeout ?? DEFAULT_CONTROL_IDLE_TIMEOUT_S) * 1000 });
      }
      if (plan.live.some((key) => key.startsWith('inbox'))) inbox!.setLimits(inboxLimits(next));
      if (plan.live.includes('metrics')) {
        await metrics?.close();
        metrics = undefined;
        await openMetrics(next.metrics);
      }
      if (plan.node.length > 0) {
        const applied = { ...next, dataDir: config.dataDir, socket: config.socket, socketMode: config.socketMode };
        await files?.stop();
        files = undefined;
        await stopNode(node!);
        try {
          node = await startNode(applied, inbox!, logger, deps.createNode, contacts);
        } catch (err) {
          // The new settings do not start (a port in use...): back to the ones that ran, and say why.
          logger.error({ err }, 'reload: the node does not start with the new settings; keeping the old ones');
          node = await startNode(config, inbox!, logger, deps.createNode, contacts);
          controlServer!.update({ node });
          files = await startFiles(node, config);
          controlServer!.update({ files });
          config = { ...config, ...liveSettings(next) };
          return { ...plan, node: [] };
        }
        controlServer!.update({ node });
        files = await startFiles(node, applied);
        controlServer!.update({ files });
        config = applied;
      } else {
        config = { ...config, ...liveSettings(next) };
      }
      return plan;
    },
    stop,
  };
}
