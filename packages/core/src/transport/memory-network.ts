import { createPublicKey } from 'node:crypto';
import { Duplex } from 'node:stream';
import { DialError, IdentityMismatchError, UnknownMemoryHostError } from '../errors.js';
import { formatHostPort, type HostPort } from './host-port.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type {
  DatagramHandler, DiscoveryChannel, Transport, TransportConnection, TransportContext, TransportFactory,
} from './types.js';

/** Options of an in-memory network. */
export interface MemoryNetworkOptions {
  /** One-way delay of every chunk and datagram in milliseconds; default 0 (next turn of the event loop). */
  latencyMs?: number;
}

/** An in-process network of nodes with failure injection, for simulations of hundreds of nodes. */
export interface MemoryNetwork {
  /** Transport factory for createNode's `config.transport`: each node gets its own host `mem:N`. */
  readonly factory: TransportFactory;
  /** Host of a node, by host or peer ID. */
  hostOf(nodeOrHost: string): string | undefined;
  /** Kills a node: its connections close at once (as the kernel closes a dead process's sockets). */
  kill(nodeOrHost: string): void;
  /** Freezes a node: it stops reading and answering, connections stay open (like SIGSTOP). */
  freeze(nodeOrHost: string): void;
  /** Resumes a frozen node. */
  thaw(nodeOrHost: string): void;
  /** Cuts the link between two nodes silently (bytes vanish, new dials fail). */
  cut(a: string, b: string): void;
  /** Restores a cut link. */
  heal(a: string, b: string): void;
  /** Every host created so far. */
  hosts(): string[];
}

interface HostState {
  host: string;
  peerId: PeerIdString;
  /** The host's key, SubjectPublicKeyInfo DER: the memory network proves keys as TLS would. */
  publicKey: Uint8Array;
  dead: boolean;
  frozen: boolean;
  listeners: Map<number, (conn: TransportConnection) => void>;
  streams: Set<MemoryStream>;
  channels: Set<MemoryChannel>;
}

interface MemoryChannel { port: number; host: HostState; ephemeral: number; handler: DatagramHandler }

class MemoryStream extends Duplex {
  other: MemoryStream | undefined;
  constructor(readonly owner: HostState, private readonly network: NetworkCore) {
    super();
  }
  override _read(): void { /* data is pushed by the other end */ }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const other = this.other;
    if (other && this.network.linkUp(this.owner, other.owner)) {
      // Copy: the writer may reuse its buffer, as a kernel would have copied it.
      const copy = Buffer.from(chunk);
      this.network.later(() => {
        if (!other.destroyed && this.network.linkUp(this.owner, other.owner)) other.push(copy);
      });
    }
    cb();
  }
  override _final(cb: (err?: Error | null) => void): void {
    const other = this.other;
    if (other && this.network.linkUp(this.owner, other.owner)) this.network.later(() => { if (!other.destroyed) other.push(null); });
    cb();
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.owner.streams.delete(this);
    const other = this.other;
    this.other = undefined;
    // A close crosses the link like any packet: a frozen host or a cut link does not deliver it, so the other end
    // stays open until its own liveness notices (as with a SIGSTOPped process). A killed host's kernel would
    // close its sockets: kill() propagates explicitly.
    if (other && !other.destroyed && (this.network.linkUp(this.owner, other.owner) || this.owner.dead)) {
      this.network.later(() => other.destroy());
    }
    cb(err);
  }
}

class NetworkCore {
  readonly hosts = new Map<string, HostState>();
  readonly byPeer = new Map<PeerIdString, HostState>();
  readonly cuts = new Set<string>();
  constructor(readonly latencyMs: number) {}
  later(fn: () => void): void {
    if (this.latencyMs > 0) setTimeout(fn, this.latencyMs);
    else setImmediate(fn);
  }
  key(a: string, b: string): string { return a < b ? `${a}|${b}` : `${b}|${a}`; }
  linkUp(a: HostState, b: HostState): boolean {
    return !a.dead && !b.dead && !a.frozen && !b.frozen && !this.cuts.has(this.key(a.host, b.host));
  }
  find(nodeOrHost: string): HostState | undefined {
    return this.hosts.get(nodeOrHost) ?? this.byPeer.get(nodeOrHost);
  }
}

/** Creates an in-memory network; pass `network.factory` as `config.transport` to every node of a simulation. */
export function createMemoryNetwork(options: MemoryNetworkOptions = {}): MemoryNetwork {
  const core = new NetworkCore(options.latencyMs ?? 0);
  let nextHost = 1;
  let nextEphemeral = 40000;

  function makeTransport(context: TransportContext): Transport {
    const self: HostState = {
      host: `mem:${nextHost++}`, peerId: context.identity.peerId, dead: false, frozen: false,
      publicKey: new Uint8Array(createPublicKey(context.identity.keyPem).export({ type: 'spki', format: 'der' })),
      listeners: new Map(), streams: new Set(), channels: new Set(),
    };
    core.hosts.set(self.host, self);
    core.byPeer.set(self.peerId, self);
    return {
      secure: true,
      async listen(address, onConnection) {
        if (self.dead) throw new DialError(self.host, 'host is dead');
        let port = address.port || 7070;
        while (self.listeners.has(port)) port++;
        self.listeners.set(port, onConnection);
        return { address: { host: self.host, port }, close: async () => { self.listeners.delete(port); } };
      },
      async dial(address, dialOptions = {}) {
        const target = formatHostPort(address);
        const remote = core.hosts.get(address.host);
        const accept = remote?.listeners.get(address.port);
        if (self.dead) throw new DialError(target, 'local host is dead');
        if (!remote || !accept || remote.dead) throw new DialError(target, 'connection refused');
        if (!core.linkUp(self, remote)) {
          // A frozen host or a cut link never answers: the dial times out.
          await new Promise((r) => setTimeout(r, Math.min(dialOptions.timeoutMs ?? 5000, 5000)));
          throw new DialError(target, 'timed out');
        }
        if (dialOptions.expectedPeerId && dialOptions.expectedPeerId !== remote.peerId) {
          throw new IdentityMismatchError(dialOptions.expectedPeerId, remote.peerId, `at ${target}`);
        }
        const mine = new MemoryStream(self, core);
        const theirs = new MemoryStream(remote, core);
        mine.other = theirs;
        theirs.other = mine;
        self.streams.add(mine);
        remote.streams.add(theirs);
        const ephemeral = nextEphemeral++;
        core.later(() => {
          if (theirs.destroyed) return;
          accept({ stream: theirs, direction: 'inbound', remote: { host: self.host, port: ephemeral }, authenticatedPeerId: self.peerId, authenticatedPublicKey: self.publicKey });
        });
        return { stream: mine, direction: 'outbound', remote: { host: remote.host, port: address.port }, authenticatedPeerId: remote.peerId, authenticatedPublicKey: remote.publicKey };
      },
      async openDiscovery(discoveryOptions, onDatagram) {
        const channel: MemoryChannel = { port: discoveryOptions.port, host: self, ephemeral: nextEphemeral++, handler: onDatagram };
        self.channels.add(channel);
        const deliver = (to: MemoryChannel, bytes: Uint8Array): void => {
          if (!core.linkUp(self, to.host)) return;
          const copy = Uint8Array.from(bytes);
          core.later(() => {
            if (core.linkUp(self, to.host) && to.host.channels.has(to)) to.handler(copy, { host: self.host, port: channel.ephemeral });
          });
        };
        const result: DiscoveryChannel = {
          announce(bytes) {
            for (const h of core.hosts.values()) {
              if (h === self) continue;
              for (const c of h.channels) if (c.port === channel.port) deliver(c, bytes);
            }
          },
          reply(bytes, to: HostPort) {
            const h = core.hosts.get(to.host);
            for (const c of h?.channels ?? []) if (c.ephemeral === to.port) deliver(c, bytes);
          },
          async close() { self.channels.delete(channel); },
        };
        return result;
      },
      async close() { /* nothing transport-wide */ },
    };
  }

  const need = (nodeOrHost: string): HostState => {
    const h = core.find(nodeOrHost);
    if (!h) throw new UnknownMemoryHostError(nodeOrHost);
    return h;
  };

  return {
    factory: makeTransport,
    hostOf: (n) => core.find(n)?.host,
    kill(n) {
      const h = need(n);
      h.dead = true;
      h.listeners.clear();
      h.channels.clear();
      for (const s of [...h.streams]) s.destroy();
    },
    freeze(n) { need(n).frozen = true; },
    thaw(n) { need(n).frozen = false; },
    cut(a, b) { core.cuts.add(core.key(need(a).host, need(b).host)); },
    heal(a, b) { core.cuts.delete(core.key(need(a).host, need(b).host)); },
    hosts: () => [...core.hosts.keys()],
  };
}
