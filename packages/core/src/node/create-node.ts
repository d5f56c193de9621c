import type { Envelope } from '../codec/wire.js';
import { NodeNotStartedError } from '../errors.js';
import { createMessageSigner, type MessageSigner } from '../identity/message-signer.js';
import { normalizeConfig } from './config.js';
import type { EnvelopeHandler, LanEnvelopeHandler, NodeExtensions, SendOptions } from './extensions.js';
import { createNodeShell, type NodeShell } from './node-shell.js';
import { disconnectPeer, emptyStats, nodeStats, pingPeer, requirePeer, resolveName, sendBulkEnvelope, sendBulkFrame, sendEnvelope } from './peer-api.js';
import { listPeers } from './peer-view.js';
import type { RunningNode } from './running-node.js';
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
  return new Node(createNodeShell(normalizeConfig(config)));
}

// The node's surface only: before start() it has a shell; start() builds the running node once, and each concern
// lives in the module that handles it.
class Node implements P2PNode, NodeExtensions {
  private run: RunningNode | undefined;
  private starting: Promise<RunningNode> | undefined;
  private signerCache?: MessageSigner;

  constructor(private readonly shell: NodeShell) {}

  get peerId(): PeerIdString { return this.run?.peerId ?? ''; }
  get name(): string { return this.shell.name; }
  get role(): NodeRole { return this.shell.role; }

  async start(): Promise<void> {
    this.starting = startNode(this.shell);
    this.run = await this.starting;
  }

  async stop(): Promise<void> {
    // A stop during start waits for the start to finish (or fail), then undoes it.
    const run = this.run ?? (await this.starting?.catch(() => undefined));
    if (run) return stopNode(run);
    if (this.shell.lifecycle.state === 'new') this.shell.lifecycle.state = 'stopped';
  }

  listenAddress(): HostPort | undefined {
    return this.run?.listener.address;
  }

  peers(): PeerSnapshot[] {
    return this.run ? listPeers(this.run.sessions, this.run.book) : [];
  }

  resolve(nameOrId: string): PeerIdString | undefined {
    return this.run ? resolveName(this.run, nameOrId) : undefined;
  }

  async send(to: string, text: string, options?: { timeoutMs?: number }): Promise<SendResult> {
    const run = this.running();
    return run.router.send(requirePeer(run, to), { text }, options);
  }

  broadcast(text: string): BroadcastResult {
    return this.running().engine.broadcast({ text });
  }

  async ping(to: string, options?: { timeoutMs?: number }): Promise<number> {
    return pingPeer(this.running(), to, options);
  }

  stats(): NodeStats {
    return this.run ? nodeStats(this.run) : emptyStats();
  }

  on<E extends keyof NodeEvents>(event: E, listener: (arg: NodeEvents[E]) => void): () => void {
    return this.shell.emitter.on(event, listener);
  }

  async connect(address: HostPort, peerId?: PeerIdString): Promise<PeerIdString> {
    if (!this.run) throw new NodeNotStartedError();
    return this.run.opener.connect(address, peerId);
  }

  disconnect(peerId: PeerIdString): boolean {
    return this.run ? disconnectPeer(this.run, peerId) : false;
  }

  sendEnvelope(peerId: PeerIdString, envelope: Envelope, options?: SendOptions): boolean {
    if (!this.run) return false;
    return options?.bulk ? sendBulkEnvelope(this.run.sessions, peerId, envelope) : sendEnvelope(this.run.sessions, peerId, envelope);
  }

  sendBulkFrame(peerId: PeerIdString, frame: Uint8Array, written?: () => void): boolean {
    return this.run ? sendBulkFrame(this.run.sessions, peerId, frame, written) : false;
  }

  pendingBytes(peerId: PeerIdString): number {
    return this.run?.sessions.get(peerId)?.pendingBytes ?? 0;
  }

  sendLan(envelope: Envelope): boolean {
    return this.shell.lifecycle.state === 'running' && (this.run?.lan.send(envelope) ?? false);
  }

  sendLanTo(envelope: Envelope, to: HostPort): boolean {
    return this.shell.lifecycle.state === 'running' && (this.run?.lan.sendTo(envelope, to) ?? false);
  }

  onLanEnvelope(handler: LanEnvelopeHandler): () => void {
    this.shell.lanHandlers.add(handler);
    return () => { this.shell.lanHandlers.delete(handler); };
  }

  get signer(): MessageSigner {
    if (!this.run) throw new NodeNotStartedError();
    this.signerCache ??= createMessageSigner(this.run.identity);
    return this.signerCache;
  }

  learnKey(spki: Uint8Array): PeerIdString | undefined {
    return this.shell.keys.add(spki);
  }

  peerKey(peerId: PeerIdString): Uint8Array | undefined {
    return this.shell.keys.get(peerId);
  }

  onEnvelope(handler: EnvelopeHandler): () => void {
    this.shell.extraHandlers.add(handler);
    return () => { this.shell.extraHandlers.delete(handler); };
  }

  /** The running node, for operations that need one. */
  private running(): RunningNode {
    if (!this.run || this.shell.lifecycle.state !== 'running') throw new NodeNotStartedError();
    return this.run;
  }
}
