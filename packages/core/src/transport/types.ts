import type { Duplex } from 'node:stream';
import type { NodeIdentity } from '../identity/node-identity.js';
import type { HostPort } from './host-port.js';
import type { Logger } from '../util/logger.js';
import type { PeerIdString } from '../identity/peer-id.js';

/** One byte stream between two nodes, as handed over by a transport once its own handshake (if any) is done. */
export interface TransportConnection {
  /** The bytes; sessions frame them. */
  readonly stream: Duplex;
  /** Who opened it. */
  readonly direction: 'inbound' | 'outbound';
  /** Remote socket address. */
  readonly remote: HostPort;
  /** Peer ID proven by the transport (TLS certificate key); undefined when the transport proves nothing (insecure). */
  readonly authenticatedPeerId?: PeerIdString;
  /** The proven key (SubjectPublicKeyInfo DER, hashing to authenticatedPeerId), when the transport proves one. */
  readonly authenticatedPublicKey?: Uint8Array;
  /**
   * When present, the connection's bytes go to the one reader given here, not to `data` events: each chunk lies in a
   * buffer that is reused once the reader returns, so the reader copies whatever it keeps. It saves a new buffer for
   * every TLS record, which V8 counts towards its next full collection (a bulk download set one off every few MiB).
   */
  readonly readInto?: (reader: (chunk: Uint8Array) => void) => void;
}

/** A listening endpoint. */
export interface TransportListener {
  /** The address really bound (the real port when 0 was asked). */
  readonly address: HostPort;
  /** Stops accepting; open connections are left alone. */
  close(): Promise<void>;
}

/** Options of a dial. */
export interface DialOptions {
  /** The connection must end up with this key, or the dial fails with IdentityMismatchError. */
  expectedPeerId?: PeerIdString;
  /** Give up after this long (connect + transport handshake); default 5000 ms. */
  timeoutMs?: number;
}

/** Where LAN discovery datagrams go and come from. */
export interface DiscoveryChannelOptions {
  /** Interface address to bind to and send from. */
  interface: string;
  /** Network mask of that interface (dotted or prefix length), for the subnet broadcast address; none: no broadcast. */
  mask?: string;
  /** UDP port every node listens on for announcements. */
  port: number;
  /** Multicast group; empty or undefined: no multicast. */
  multicastGroup?: string;
}

/** A bound LAN discovery channel. */
export interface DiscoveryChannel {
  /** Sends one datagram to the subnet broadcast address and the multicast group. */
  announce(bytes: Uint8Array): void;
  /** Sends one datagram to one address (a reply to a newcomer); refused outside the interface's subnet. */
  reply(bytes: Uint8Array, to: HostPort): void;
  /** Closes the sockets. */
  close(): Promise<void>;
}

/** Callback for each datagram received on a discovery channel. */
export type DatagramHandler = (bytes: Uint8Array, from: HostPort) => void;

/** Moves bytes between nodes: streams for sessions, datagrams for LAN discovery. */
export interface Transport {
  /** True when connections carry an authenticatedPeerId proven by the transport. */
  readonly secure: boolean;
  /** Accepts connections on `address`. */
  listen(address: HostPort, onConnection: (conn: TransportConnection) => void): Promise<TransportListener>;
  /** Opens a connection to `address`. */
  dial(address: HostPort, options?: DialOptions): Promise<TransportConnection>;
  /** Binds the LAN discovery sockets. */
  openDiscovery(options: DiscoveryChannelOptions, onDatagram: DatagramHandler): Promise<DiscoveryChannel>;
  /** Releases transport-wide resources (key log file, ...). */
  close(): Promise<void>;
}

/** What a node gives its transport. */
export interface TransportContext {
  /** The node's key and certificate. */
  identity: NodeIdentity;
  /** Plaintext TCP, peer ID from Hello. */
  insecure: boolean;
  /** Append TLS secrets (NSS key log format) to this file. */
  keylogFile?: string;
  /** Transport handshakes (TLS) must finish within this; default 5000 ms. */
  handshakeTimeoutMs?: number;
  /** Most inbound transport handshakes (TLS) in progress at once; a new connection beyond drops the oldest. Default 64. */
  maxPendingHandshakes?: number;
  /** Most inbound handshakes in progress from one remote address (default: maxPendingHandshakes). */
  maxPendingHandshakesPerAddress?: number;
  /** Logger. */
  logger: Logger;
}

/** Builds a node's transport; `config.transport` of createNode takes one (the in-memory network hands them out). */
export type TransportFactory = (context: TransportContext) => Transport;
