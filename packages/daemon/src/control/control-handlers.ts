import { MAX_CHAT_TEXT_BYTES, MessageTooLargeError, PROTOCOL_VERSION, type P2PNode, type p2p } from '@p2p/core';
import { formatHostPort } from '../config/parse-values.js';
import { ControlRequestError } from '../errors.js';

/** A reply body: a Response without its id. */
export type ControlReply = Omit<p2p.control.v1.Response.$Properties, 'id'>;
/** A decoded control request. */
export type ControlRequest = p2p.control.v1.Request;

/** What the unary handlers work with. */
export interface HandlerContext {
  /** The daemon's node. */
  node: P2PNode;
  /** Default timeout of send and ping when the request gives none, ms. */
  defaultTimeoutMs: number;
}

/** Longest chat line accepted from a client, in UTF-8 bytes (the protocol's limit). */
export const MAX_TEXT_LENGTH = MAX_CHAT_TEXT_BYTES;

function checkText(text: string | null | undefined): string {
  if (!text) throw new ControlRequestError('BAD_REQUEST', 'the message is empty');
  // Refused before it reaches the node, with the node's own error: the client sees MESSAGE_TOO_LARGE, "refused: too large".
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_TEXT_LENGTH) throw new MessageTooLargeError(size, MAX_TEXT_LENGTH);
  return text;
}

function resolvePeer(node: P2PNode, to: string | null | undefined): string {
  if (!to) throw new ControlRequestError('BAD_REQUEST', 'no recipient given');
  const peerId = node.resolve(to);
  if (!peerId) throw new ControlRequestError('PEER_NOT_FOUND', `no known peer is called ${to}`);
  return peerId;
}

/** Answers every request but inbox (which streams): status, peers, send, broadcast, ping. */
export async function handleUnary(request: ControlRequest, ctx: HandlerContext): Promise<ControlReply> {
  const { node } = ctx;
  switch (request.call) {
    case 'status': {
      const listen = node.listenAddress();
      const peers = node.peers().filter((p) => p.state === 'connected').length;
      return {
        status: { peerId: node.peerId, name: node.name, role: node.role, listen: listen ? formatHostPort(listen) : '', protocol: PROTOCOL_VERSION, peers },
      };
    }
    case 'peers': {
      const order = { connected: 0, known: 1, dead: 2 } as const;
      const rows = node.peers().sort((a, b) => order[a.state] - order[b.state] || a.name.localeCompare(b.name));
      return {
        peers: {
          peers: rows.map((p) => ({
            peerId: p.peerId, name: p.name, address: formatHostPort(p.address), state: p.state, rttMs: p.rttMs ?? -1, role: p.role,
          })),
        },
      };
    }
    case 'send': {
      const text = checkText(request.send?.text);
      resolvePeer(node, request.send?.to);
      const result = await node.send(request.send!.to!, text, { timeoutMs: request.send?.timeoutMs || ctx.defaultTimeoutMs });
      return {
        send: { delivered: result.status === 'delivered', status: result.status, peerId: result.peerId ?? '', elapsedMs: result.elapsedMs },
      };
    }
    case 'broadcast': {
      const result = node.broadcast(checkText(request.broadcast?.text));
      return { broadcast: { messageId: result.messageId, sentTo: result.sentTo } };
    }
    case 'ping': {
      const peerId = resolvePeer(node, request.ping?.to);
      const rttMs = await node.ping(request.ping!.to!, { timeoutMs: request.ping?.timeoutMs || ctx.defaultTimeoutMs });
      return { ping: { peerId, rttMs } };
    }
    default:
      throw new ControlRequestError('BAD_REQUEST', 'the request carries no call this daemon knows');
  }
}
