import type { InboundMessage, Logger, NodeConfig } from '@p2p/core';
import { P2PError, sanitizeText } from '@p2p/core';
import { formatHostPort, toNodeConfig, type DaemonConfig } from '../config/index.js';
import type { Contacts } from '../contacts/index.js';
import type { DaemonNode } from '../control/index.js';
import { NodeStartError } from '../errors.js';
import type { Inbox, InboxRecord } from '../inbox/index.js';

/** Longest the node is given to say goodbye before the rest of a shutdown goes on without it. */
export const NODE_STOP_BUDGET_MS = 600;

function toRecord(message: InboundMessage, selfName: string): InboxRecord | undefined {
  if (message.text === undefined) return undefined;
  return {
    id: message.id, from: message.fromName, fromPeerId: message.from, to: message.kind === 'direct' ? selfName : '*',
    kind: message.kind, text: message.text, receivedAt: new Date(message.receivedAtMs).toISOString(),
  };
}

/** Creates and starts the node of `config`, storing what it receives in `inbox` before it is acknowledged. */
export async function startNode(
  config: DaemonConfig, inbox: Inbox, logger: Logger, createNode: (config: NodeConfig) => DaemonNode, contacts?: Contacts,
): Promise<DaemonNode> {
  // The node awaits `persist` before acknowledging a direct message: "delivered" means written whole and synced;
  // a quota answers "inbox full", a failed write "not stored". A broadcast is kept when there is room, never
  // waited for (nobody acknowledges it), and a refusal is counted rather than reported to the network.
  const node: DaemonNode = createNode({
    ...toNodeConfig(config, logger),
    persist: async (message) => {
      const record = toRecord(message, node.name);
      if (!record) return;
      if (message.kind === 'direct') await inbox.appendDurable(record);
      else inbox.append(record);
    },
  });
  contacts?.attach(node);
  node.on('peer:connect', (peer) => logger.info({ peerId: peer.peerId, peerName: sanitizeText(peer.name), address: formatHostPort(peer.address) }, 'peer connected'));
  node.on('peer:disconnect', (event) => logger.info(event, 'peer disconnected'));
  // Warnings need no listener here: the node logs them itself through this same logger.
  try {
    await node.start();
  } catch (err) {
    // Typed errors already say what is wrong; a raw system error (EADDRINUSE...) gets one line of context.
    throw err instanceof P2PError ? err : new NodeStartError(err);
  }
  return node;
}

/** Stops a node, giving its goodbyes at most NODE_STOP_BUDGET_MS. */
export function stopNode(node: DaemonNode): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    node.stop(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, NODE_STOP_BUDGET_MS);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
