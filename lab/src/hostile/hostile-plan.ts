/** What the hostile host does, passed to its process as one JSON argument. */

/** A target daemon. */
export interface HostileTarget {
  host: string;
  port: number;
  peerId: string;
}

/** The attack plan (every loop bounded in count and time). */
export interface HostilePlan {
  /** The attacker's own address (listen and interface). */
  self: string;
  /** Subnet broadcast address, for garbage discovery datagrams. */
  broadcast: string;
  /** UDP discovery port of the daemons. */
  discoveryPort: number;
  /** Daemons to attack. */
  targets: HostileTarget[];
  /** Data directory of the attacker's node. */
  dataDir: string;
  /** Well-formed Broadcast envelopes sent to every target as fast as the sessions take them. */
  floodBroadcasts: number;
  /** Junk envelopes (IHave of random IDs, malformed broadcasts, grafts) sent to each target over a real session. */
  junkEnvelopes: number;
  /** Idle TCP connections held open per target (no bytes: half-open handshakes). */
  halfOpenPerTarget: number;
  /** TCP connections per target that write random bytes. */
  garbageConnectionsPerTarget: number;
  /** Garbage UDP datagrams per target and to the broadcast address. */
  garbageDatagrams: number;
  /** Upper bound on the whole attack. */
  durationMs: number;
}

/** What the attacker managed to do, printed as one JSON line at the end. */
export interface HostileReport {
  sessions: number;
  /** Flood envelopes queued (per target). */
  floodSent: number;
  junkSent: number;
  halfOpen: number;
  garbageConnections: number;
  garbageBytes: number;
  datagrams: number;
  elapsedMs: number;
}
