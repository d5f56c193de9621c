import type { Clock } from '../util/clock.js';
import type { p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { Logger } from '../util/logger.js';
import type { NameHolder } from './claims.js';

/** A clique server as the others know it: who, and where its node accepts sessions. */
export interface CliqueServerInfo {
  /** The server's peer ID. */
  peerId: PeerIdString;
  /** Its name, for humans. */
  name: string;
  /** Host its node listens on. */
  host: string;
  /** Port its node listens on. */
  port: number;
}

/** Bounds and timings of a clique server; all have defaults. */
export interface CliqueLimits {
  /** Longest line, in UTF-8 bytes. Default 4096. */
  maxLineBytes: number;
  /** Sustained lines (or other requests: who-is-online, name claims) per second a client may send. Default 50. */
  linesPerSecond: number;
  /** Lines or requests a client may send in a burst; one more and it is cut off. Default 200. */
  lineBurst: number;
  /** Clients attached to this server at once. Default 1000. */
  maxClients: number;
  /** Names known across the clique. Default 100,000. */
  maxNames: number;
  /** Servers in the clique. Default 64. */
  maxServers: number;
  /** A name claim not agreed on by every server by then is refused as "busy". Default 3000 ms. */
  claimTimeoutMs: number;
  /** A line whose recipient's server has not answered by then is reported as timed out. Default 5000 ms. */
  deliveryTimeoutMs: number;
  /** Every server's roster goes to the others this often (heals any missed update). Default 10,000 ms. */
  rosterIntervalMs: number;
  /** A server that left is redialled this often. Default 2000 ms. */
  redialMs: number;
  /** ...until this long after it left. Default 10 minutes. */
  forgetServerAfterMs: number;
  /** Lines waiting for a delivery report. Default 10,000. */
  maxPending: number;
  /** A client cut off for flooding or a bad signature is refused for this long when it comes back. Default 30,000 ms. */
  penaltyMs: number;
  /** Largest who-is-online page or roster part, in (estimated) bytes; frames stop at 1 MiB. Default 256 KiB, at most 512 KiB. */
  pageBytes: number;
}

/** Defaults of CliqueLimits. */
export const DEFAULT_CLIQUE_LIMITS: CliqueLimits = {
  maxLineBytes: 4096, linesPerSecond: 50, lineBurst: 200, maxClients: 1000, maxNames: 100_000, maxServers: 64,
  claimTimeoutMs: 5000, deliveryTimeoutMs: 5000, rosterIntervalMs: 10_000, redialMs: 2000, forgetServerAfterMs: 600_000,
  maxPending: 10_000, pageBytes: 256 * 1024, penaltyMs: 30_000,
};

/** What a clique engine needs: who it is, its bounds, a clock, and how to reach servers and clients. */
export interface CliqueEngineInit {
  /** This server. */
  self: CliqueServerInfo;
  /** Servers allowed in the clique (this one is always allowed); empty or absent: anyone (an open clique). */
  allow?: readonly PeerIdString[];
  /** Bounds and timings. */
  limits?: Partial<CliqueLimits>;
  /** Time source; the process clock by default. */
  clock?: Clock;
  /** The author a line's signature proves (default: a createLineVerifier, ECDSA over single lines or bursts); injectable for tests. */
  verifyLine?: (m: p2p.v1.ICliqueMessage) => PeerIdString | undefined;
  /** The author a CliqueLines burst's signature proves (default: verifyBurst, one ECDSA check); injectable for tests. */
  verifyBurst?: (m: p2p.v1.ICliqueLines) => PeerIdString | undefined;
  /** Sends to a connected server; false when there is no session. */
  sendToServer(server: PeerIdString, message: p2p.v1.IClique): boolean;
  /** Bytes waiting in the send queue of the session with a server (rosters pace themselves by it); 0 if absent. */
  pendingBytes?(server: PeerIdString): number;
  /**
   * Runs `fn` once the current batch of input is handled (the signature checks of lines already handed on); the
   * engine's clock with a zero delay by default. The server passes setImmediate: a check then runs while the line
   * travels, not a millisecond later when the next line may be arriving.
   */
  defer?(fn: () => void): void;
  /** Sends to an attached client; false when its session is gone or its queue is full. */
  sendToClient(client: PeerIdString, message: p2p.v1.IClique): boolean;
  /** Opens a session to a server learned from a roster (or one to redial). */
  dialServer(server: CliqueServerInfo): void;
  /**
   * Closes a client's session; the engine has already forgotten the client. `cutOff`: for flooding or a bad
   * signature (its address earns a strike), not for a move to another server.
   */
  dropClient(client: PeerIdString, reason: string, cutOff?: boolean): void;
  /** Tells a server it is not allowed in the clique and closes its session. */
  refuseServer(server: PeerIdString, reason: string): void;
  /** Logger. */
  logger?: Logger;
}

/** Counters of a clique server. */
export interface CliqueStats {
  /** Other servers in the clique now. */
  servers: number;
  /** Clients attached here now. */
  clients: number;
  /** Names held across the clique. */
  names: number;
  /** Lines handed to a local client. */
  linesDelivered: number;
  /** Lines passed to another server. */
  linesRelayed: number;
  /** Lines refused: unsigned, too long, from a client without a name, forged. */
  linesRefused: number;
  /** Clients cut off for flooding. */
  clientsCutOff: number;
  /** Local claims that lost a simultaneous claim elsewhere. */
  claimsLost: number;
}

/** Why a client's session is refused: the Goodbye it is closed with. */
export interface ClientRefusal {
  /** A GoodbyeReason. */
  reason: p2p.v1.GoodbyeReason;
  /** Said to the client. */
  detail: string;
}

/** The pure clique logic of one server: roster, names, claims and line routing, driven by calls and a clock. */
export interface CliqueEngine {
  /** A session with a node that says it is a server opened; `info` carries the address it was seen at. */
  serverUp(info: CliqueServerInfo): void;
  /** The session with a server ended: it leaves the clique and its clients' names are freed. */
  serverDown(server: PeerIdString): void;
  /** A Clique message from a server's session. */
  handleServer(server: PeerIdString, message: p2p.v1.IClique): void;
  /** A client's session opened: true, or why it is refused (the caller closes it with that Goodbye). */
  clientUp(client: PeerIdString): true | ClientRefusal;
  /** A client's session ended. */
  clientDown(client: PeerIdString, reason: string): void;
  /** A Clique message from a client's session. */
  handleClient(client: PeerIdString, message: p2p.v1.IClique): void;
  /** The other servers of the clique. */
  members(): CliqueServerInfo[];
  /** Every name held (confirmed) across the clique. */
  online(): NameHolder[];
  /** Counters. */
  stats(): CliqueStats;
  /** Cancels every timer. */
  stop(): void;
}
