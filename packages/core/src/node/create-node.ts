import type { Envelope } from '../codec/wire.js';
import { NodeNotStartedError } from '../errors.js';
import { createMessageSigner, type MessageSigner } from '../identity/message-signer.js';
import { normalizeConfig } from './config.js';
import type { EnvelopeHandler, LanEnvelopeHandler, NodeExtensions, SendOptions } from './extensions.js';
import { createNodeContext, type NodeContext } from './node-context.js';
import { disconnectPeer, nodeStats, pingPeer, requirePeer, resolveName, sendEnvelope } from './peer-api.js';
import { listPeers } from './peer-view.js';
import { startNode } from './start-node.js';
import { stopNode } from './stop-node.js';
import type {
  BroadcastResult, HostPort, NodeConfig, NodeEvents, NodeRole, NodeStats, P2PNode, PeerIdString, PeerSnapshot, SendResult,
} from './types.js';

export { AGENT } from './self-info.js';

/**
 * Creates a node. The configuration is validated at once (ConfigError names the key at fault); nothing is bound
 * until start(). `peerId` is the empty string until start() has loaded the identity.
 */
export function createNode(config: NodeConfig): P2PNode & NodeExtensions {
  return new Node(createNodeContext(normalizeConfig(config)));
}

// The node's surface only: its state lives in the context, and each concern in the module that handles it.
class Node implements P2PNode, NodeExtensions {
  private signerCache?: MessageSigner;

  constructor(private readonly ctx: NodeContext) {}

  get peerId(): PeerIdString { return this.ctx.peerId; }
  get name(): string { return this.ctx.name; }
  get role(): NodeRole { return this.ctx.role; }

  start(): Promise<void> {
    return startNode(this.ctx);
  }

  stop(): Promise<void> {
    return stopNode(this.ctx);
  }

  listenAddress(): HostPort | undefined {
    return this.ctx.listener?.address;
  }

  peers(): PeerSnapshot[] {
    return listPeers(this.ctx.sessions, this.ctx.book);
  }

  resolve(nameOrId: string): PeerIdString | undefined {
    return resolveName(this.ctx, nameOrId);
  }

  async send(to: string, text: string, options?: { timeoutMs?: number }): Promise<SendResult> {
    const id = requirePeer(this.ctx, to);
    return this.ctx.router!.send(id, { text }, options);
  }

  broadcast(text: string): BroadcastResult {
    if (this.ctx.state !== 'running') throw new NodeNotStartedError();
    return this.ctx.engine!.broadcast({ text });
  }

  ping(to: string, options?: { timeoutMs?: number }): Promise<number> {
    return pingPeer(this.ctx, to, options);
  }

  stats(): NodeStats {
    return nodeStats(this.ctx);
  }

  on<E extends keyof NodeEvents>(event: E, listener: (arg: NodeEvents[E]) => void): () => void {
    return this.ctx.emitter.on(event, listener);
  }

  connect(address: HostPort, peerId?: PeerIdString): Promise<PeerIdString> {
    if (!this.ctx.opener) return Promise.reject(new NodeNotStartedError());
    return this.ctx.opener.connect(address, peerId);
  }

  disconnect(peerId: PeerIdString): boolean {
    return disconnectPeer(this.ctx, peerId);
  }

  sendEnvelope(peerId: PeerIdString, envelope: Envelope, options?: SendOptions): boolean {
    return sendEnvelope(this.ctx, peerId, envelope, options?.bulk === true);
  }

  pendingBytes(peerId: PeerIdString): number {
    return this.ctx.sessions.get(peerId)?.pendingBytes ?? 0;
  }

  sendLan(envelope: Envelope): boolean {
    return this.ctx.state === 'running' && (this.ctx.lan?.send(envelope) ?? false);
  }

  sendLanTo(envelope: Envelope, to: HostPort): boolean {
    return this.ctx.state === 'running' && (this.ctx.lan?.sendTo(envelope, to) ?? false);
  }

  onLanEnvelope(handler: LanEnvelopeHandler): () => void {
    this.ctx.lanHandlers.add(handler);
    return () => { this.ctx.lanHandlers.delete(handler); };
  }

  get signer(): MessageSigner {
    if (!this.ctx.identity) throw new NodeNotStartedError();
    this.signerCache ??= createMessageSigner(this.ctx.identity);
    return this.signerCache;
  }

  onEnvelope(handler: EnvelopeHandler): () => void {
    this.ctx.extraHandlers.add(handler);
    return () => { this.ctx.extraHandlers.delete(handler); };
  }
}
