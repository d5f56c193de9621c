/**
 * The public face of a node: what the daemon, the CLI and applications program against.
 * createNode(config) (node/create-node.ts) returns a P2PNode; nothing outside core depends on the implementation.
 */

/** Text form of a peer ID: lowercase RFC 4648 base32 (no padding) of SHA-256 of the node's public key (SPKI DER). */
export type PeerIdString = string;

/** What a node does for the network besides being a peer. */
export type NodeRole = 'peer' | 'seed' | 'server';

/** A host and port; host is an IPv4/IPv6 literal or a name. */
export interface HostPort {
  /** IPv4 or IPv6 literal, or a host name. */
  host: string;
  /** TCP or UDP port. */
  port: number;
}

/** Configuration accepted by createNode. Everything but dataDir has a default. */
export interface NodeConfig {
  /** Directory holding the identity (key + certificate, mode 0600) and the peer book. */
  dataDir: string;
  /** Human-readable name; defaults to the host name. */
  name?: string;
  /** What this node does for the network; default 'peer'. */
  role?: NodeRole;
  /** Address to accept sessions on; default 0.0.0.0:7070 (port 0 picks a free port). */
  listen?: HostPort;
  /** LAN discovery; default enabled. */
  lan?: {
    /** Turn LAN discovery on or off. */
    enabled?: boolean;
    /** Interface address to bind discovery to and announce; default: the listen host. */
    interface?: string;
    /** Network mask of that interface, to compute the subnet broadcast address (e.g. 255.255.255.0 or 24). */
    mask?: string;
    /** UDP port of discovery; default 7071. */
    port?: number;
    /** Multicast group; default 239.192.112.112. Set to '' to disable multicast. */
    multicastGroup?: string;
    /** Milliseconds between periodic announcements; default 5000. */
    intervalMs?: number;
  };
  /** Seed nodes to register with and ask for peers. */
  seeds?: HostPort[];
  /** Plaintext sessions for labs: no TLS, no authentication. Default false. */
  insecure?: boolean;
  /** File to append TLS secrets to in the NSS key log format, for decrypting captures. */
  keylogFile?: string;
  /** Mesh limits and timings; every field has a default. */
  mesh?: {
    /** Hard cap on sessions; default 50. */
    maxConnections?: number;
    /** Number of sessions the node tries to keep; default 8. */
    targetDegree?: number;
    /** Cap on sessions the node did not dial; default 3/4 of maxConnections. */
    maxInbound?: number;
    /** Maximum handshakes in progress at once; default 16. */
    maxPendingHandshakes?: number;
    /** A connection that has not said Hello by then is closed; default 5000 ms. */
    handshakeTimeoutMs?: number;
    /** Interval between pings on every session; default 750 ms. */
    pingIntervalMs?: number;
    /** Pings missed in a row before a peer is declared dead; default 3. */
    maxMissedPings?: number;
    /** Sustained frames per second accepted from one peer; default 2000. */
    framesPerSecond?: number;
    /** Frames one peer may send in a burst; default 4000. */
    frameBurst?: number;
    /** Cap on bytes queued for one peer; default 8 MiB. */
    maxQueueBytes?: number;
    /** Peers asked for from each seed; default 50. */
    seedPeerLimit?: number;
  };
  /** Logger; defaults to a silent one. pino's logger fits. */
  logger?: Logger;
  /** Transport to use; defaults to real TCP/UDP sockets. Simulation tests pass the in-memory network's. */
  transport?: unknown;
  /**
   * Stores a received message durably. Awaited before a direct message is acknowledged, so the sender's
   * "delivered" means "kept" (a rejection answers "unreachable"); broadcasts are passed to it too.
   */
  persist?: (message: InboundMessage) => Promise<void>;
  /** How broadcasts spread: 'plumtree' (default) or 'flood' (the baseline benchmarks compare against). */
  broadcastMode?: 'plumtree' | 'flood';
  /** The node refuses to start unless its key hashes to this peer ID (config alias `peerid`). */
  expectedPeerId?: PeerIdString;
  /** Seed role: how long a registration lasts without renewal; default 30000 ms. */
  seedTtlMs?: number;
  /** Alias of the original design: listen address and LAN discovery interface (IPv4). */
  ipv4?: string;
  /** Alias of the original design: listen port. */
  port?: number;
  /** Alias of the original design: netmask of `ipv4`, for the subnet broadcast address. */
  mask?: string;
  /** Alias of the original design: a peer ID the key must hash to (any other value is taken as the name). */
  peerid?: string | number;
}

/** The subset of pino's API the core logs through. */
export interface Logger {
  /** Debug-level message. */
  debug(obj: object | string, msg?: string): void;
  /** Info-level message. */
  info(obj: object | string, msg?: string): void;
  /** Warning-level message. */
  warn(obj: object | string, msg?: string): void;
  /** Error-level message. */
  error(obj: object | string, msg?: string): void;
}

/** One row of the peer table. */
export interface PeerSnapshot {
  /** The peer's ID. */
  peerId: PeerIdString;
  /** The peer's name as it said in its Hello or announcement. */
  name: string;
  /** Where it can be dialled. */
  address: HostPort;
  /** connected: a live session; known: learned but not connected; dead: failed recently. */
  state: 'connected' | 'known' | 'dead';
  /** Last measured round-trip time in milliseconds, if any. */
  rttMs?: number;
  /** What the peer does for the network. */
  role: NodeRole;
  /** The peer's session count as it last reported. */
  load: number;
  /** Who dialled: only for connected peers. */
  direction?: 'inbound' | 'outbound';
}

/** A chat line or data received by this node. */
export interface InboundMessage {
  /** Message ID in hex. */
  id: string;
  /** How it arrived. */
  kind: 'direct' | 'broadcast';
  /** Author's peer ID. */
  from: PeerIdString;
  /** Author's name. */
  fromName: string;
  /** The text (chat payload), if any. */
  text?: string;
  /** Opaque data payload, if any. */
  data?: Uint8Array;
  /** Author's clock when written, ms since epoch. */
  sentAtMs?: number;
  /** This node's clock on arrival, ms since epoch. */
  receivedAtMs: number;
  /** Hops it travelled. */
  hops: number;
}

/** Outcome of a direct send. */
export interface SendResult {
  /** delivered: acknowledged by the recipient; unreachable: no route; timeout: no answer in time. */
  status: 'delivered' | 'unreachable' | 'timeout' | 'too-many-hops';
  /** The recipient's peer ID, once resolved. */
  peerId?: PeerIdString;
  /** Milliseconds from send to answer. */
  elapsedMs: number;
  /** Why it was not delivered, when the node knows (e.g. the recipient's key is unknown, so it cannot be sealed). */
  detail?: string;
}

/** Outcome of starting a broadcast. */
export interface BroadcastResult {
  /** Message ID in hex. */
  messageId: string;
  /** Neighbours it was pushed to eagerly. */
  sentTo: number;
}

/** Counters of a node, for status, metrics and benchmarks. */
export interface NodeStats {
  /** Live sessions. */
  connections: number;
  /** Bytes written to / read from sessions. */
  bytesSent: number;
  bytesReceived: number;
  /** Frames written to / read from sessions. */
  framesSent: number;
  framesReceived: number;
  /** Frames dropped: malformed, oversized, rate-limited, or queue full. */
  framesDropped: number;
  /** Broadcasts delivered to the application (each once). */
  broadcastsDelivered: number;
  /** Broadcast copies received beyond the first (the cost Plumtree keeps low). */
  broadcastDuplicates: number;
  /** Direct messages delivered to this node's application. */
  directDelivered: number;
  /** Peers declared dead by liveness. */
  peersDeclaredDead: number;
  /** Broadcasts, directs and acknowledgements dropped because their signature did not prove their author. */
  messagesRejected?: number;
  /** Last RTT per connected peer, ms. */
  rttMs: Record<PeerIdString, number>;
}

/** Events a node emits, with their argument. */
export interface NodeEvents {
  /** A session with a peer is up (after the Hello exchange). */
  'peer:connect': PeerSnapshot;
  /** A session ended (goodbye, closed socket, or declared dead). */
  'peer:disconnect': { peerId: PeerIdString; reason: string };
  /** A peer was learned (LAN, seed, hello). */
  'peer:discovered': PeerSnapshot;
  /** A chat line or data for the application (direct or broadcast), delivered exactly once. */
  message: InboundMessage;
  /** A non-fatal problem worth reporting (bad frame from a peer, failed dial). */
  warning: { code: string; message: string; peerId?: PeerIdString };
}

/** A running (or startable) node. */
export interface P2PNode {
  /** This node's peer ID (the empty string until start() has loaded the identity). */
  readonly peerId: PeerIdString;
  /** This node's name. */
  readonly name: string;
  /** This node's role. */
  readonly role: NodeRole;
  /** Binds sockets, starts discovery, seeds and the mesh. Resolves once listening. */
  start(): Promise<void>;
  /** Says goodbye to every peer and closes everything; resolves within about a second. */
  stop(): Promise<void>;
  /** Address sessions are accepted on (the real port when 0 was asked), once started. */
  listenAddress(): HostPort | undefined;
  /** Connected and known peers. */
  peers(): PeerSnapshot[];
  /** Resolves a name or a peer ID (or a unique prefix of one) to a peer ID. */
  resolve(nameOrId: string): PeerIdString | undefined;
  /** Sends a chat line to one peer, waiting for the end-to-end acknowledgement. */
  send(to: string, text: string, options?: { timeoutMs?: number }): Promise<SendResult>;
  /** Sends a chat line to every node. */
  broadcast(text: string): BroadcastResult;
  /** Measures the round-trip time to a peer, dialling it if needed. */
  ping(to: string, options?: { timeoutMs?: number }): Promise<number>;
  /** Counters. */
  stats(): NodeStats;
  /** Subscribes to an event; returns a function that unsubscribes. */
  on<E extends keyof NodeEvents>(event: E, listener: (arg: NodeEvents[E]) => void): () => void;
}
