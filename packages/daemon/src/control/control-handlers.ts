import { PROTOCOL_VERSION, type P2PNode, type p2p } from '@p2p/core';
import { formatHostPort } from '../config/parse-values.js';
import type { Contacts } from '../contacts/index.js';
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
  /** Names bound to keys: how recipients are resolved and peers labelled (without it, the node's own lookup). */
  contacts?: Contacts;
}

/** Longest chat line accepted from a client, in characters. */
export const MAX_TEXT_LENGTH = 64 * 1024;

function checkText(text: string | null | undefined): string {
  if (!text) throw new ControlRequestError('BAD_REQUEST', 'the message is empty');
  if (text.length > MAX_TEXT_LENGTH) throw new ControlRequestError('BAD_REQUEST', `the message is longer than ${MAX_TEXT_LENGTH} characters`);
  return text;
}

function resolvePeer(node: P2PNode, to: string | null | undefined, contacts?: Contacts): string {
  if (!to) throw new ControlRequestError('BAD_REQUEST', 'no recipient given');
  if (contacts) return contacts.resolve(to);
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
            // The name as this node calls the peer: its contact name, or name~id when the name is another key's.
            peerId: p.peerId, name: ctx.contacts ? ctx.contacts.label(p.peerId, p.name) : p.name, address: formatHostPort(p.address), state: p.state, rttMs: p.rttMs ?? -1, role: p.role,
          })),
        },
      };
    }
    case 'send': {
      const text = checkText(request.send?.text);
      // The resolved peer ID goes to the node: a name bound to a key reaches that key only, online or not.
      const peerId = resolvePeer(node, request.send?.to, ctx.contacts);
      const result = await node.send(peerId, text, { timeoutMs: request.send?.timeoutMs || ctx.defaultTimeoutMs });
      if (result.status === 'delivered') ctx.contacts?.learn(peerId, undefined);
      return {
        send: { delivered: result.status === 'delivered', status: result.status, peerId: result.peerId ?? '', elapsedMs: result.elapsedMs },
      };
    }
    case 'broadcast': {
      const result = node.broadcast(checkText(request.broadcast?.text));
      return { broadcast: { messageId: result.messageId, sentTo: result.sentTo } };
    }
    case 'ping': {
      const peerId = resolvePeer(node, request.ping?.to, ctx.contacts);
      const rttMs = await node.ping(peerId, { timeoutMs: request.ping?.timeoutMs || ctx.defaultTimeoutMs });
      return { ping: { peerId, rttMs } };
    }
    case 'contacts': {
      if (!ctx.contacts) throw new ControlRequestError('BAD_REQUEST', 'this daemon keeps no contact book');
      return { contacts: await ctx.contacts.handle(request.contacts ?? {}) };
    }
    default:
      throw new ControlRequestError('BAD_REQUEST', 'the request carries no call this daemon knows');
  }
}
