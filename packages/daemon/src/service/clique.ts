import { loadOrCreateIdentity, startCliqueServer, type CliqueServer, type Logger, type NodeExtensions, type P2PNode } from '@p2p/core';
import { NodeStartError } from '../errors.js';
import type { DaemonConfig } from '../config/index.js';

/** Port clique clients connect to when --clique-listen does not say. */
export const DEFAULT_CLIQUE_PORT = 7072;

/** Starts the clique server of a daemon with role server, on its started node. */
export async function startClique(config: DaemonConfig, node: P2PNode, logger: Logger): Promise<CliqueServer> {
  if (!('onEnvelope' in node)) throw new NodeStartError(new Error('role server needs a node with extensions'));
  const listen = node.listenAddress()!;
  const clientListen = config.cliqueListen ?? { host: listen.host, port: DEFAULT_CLIQUE_PORT };
  try {
    return await startCliqueServer({
      node: node as P2PNode & NodeExtensions,
      identity: await loadOrCreateIdentity(config.dataDir),
      clientListen, join: config.clique, allow: config.cliqueAllow,
      limits: {
        ...(config.cliqueMaxClients ? { maxClients: config.cliqueMaxClients } : {}),
        ...(config.cliqueLineRate ? { linesPerSecond: config.cliqueLineRate, lineBurst: config.cliqueLineRate * 4 } : {}),
      },
      insecure: config.insecure, keylogFile: config.keylog, logger,
    });
  } catch (err) {
    throw new NodeStartError(err);
  }
}
