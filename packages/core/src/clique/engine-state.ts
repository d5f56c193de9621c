import type { Clock, TimerHandle } from '../util/clock.js';
import type { p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { Logger } from '../util/logger.js';
import type { TokenBucket } from '../session/token-bucket.js';
import type { NameHolder } from './claims.js';
import type { NameTable } from './name-table.js';
import type { CliqueEngineInit, CliqueLimits, CliqueServerInfo, CliqueStats } from './types.js';

/** A client attached to this server. */
export interface LocalClient {
  /** Its peer ID (its session's proven key). */
  id: PeerIdString;
  /** The name key it holds, once confirmed. */
  key: string | undefined;
  /** The name key it is claiming. */
  claiming: string | undefined;
  /** Its line budget. */
  bucket: TokenBucket;
  /** A line of its own has passed the signature check: its later lines are handed on before theirs. */
  proven?: boolean;
}

/** A name claim of a local client waiting for every other server's answer. */
export interface LocalClaim {
  /** The claim. */
  holder: NameHolder;
  /** Servers that have not granted it yet. */
  waiting: Set<PeerIdString>;
  /** Refuses it as "busy" when not everyone answered in time. */
  timer: TimerHandle;
}

/** The state shared by the parts of one clique engine. */
export interface EngineState {
  /** Who this server is. */
  readonly self: CliqueServerInfo;
  /** Bounds. */
  readonly limits: CliqueLimits;
  /** Time. */
  readonly clock: Clock;
  /** The I/O the engine was given. */
  readonly io: CliqueEngineInit;
  /** Logger (may be silent). */
  readonly log: Logger | undefined;
  /** Other servers of the clique (sent a ServerJoin and allowed). */
  readonly members: Map<PeerIdString, CliqueServerInfo>;
  /** For each member, the servers its latest roster said it is connected to (at most maxServers each). */
  readonly reach: Map<PeerIdString, Set<PeerIdString>>;
  /** Names known across the clique, confirmed or claimed, by comparison key. */
  readonly names: NameTable;
  /** Clients attached here. */
  readonly clients: Map<PeerIdString, LocalClient>;
  /** Claims of local clients in progress, by name key. */
  readonly claims: Map<string, LocalClaim>;
  /** Counters. */
  readonly stats: Omit<CliqueStats, 'servers' | 'clients' | 'names'>;
}

/** Sends to every member server. */
export function toServers(st: EngineState, message: p2p.v1.IClique, except?: PeerIdString): void {
  for (const id of st.members.keys()) if (id !== except) st.io.sendToServer(id, message);
}

/** Sends to every local client with a name (notifications and `*` lines). */
export function toNamedClients(st: EngineState, message: p2p.v1.IClique, except?: PeerIdString): number {
  let n = 0;
  for (const c of st.clients.values()) {
    if (c.key !== undefined && c.id !== except && st.io.sendToClient(c.id, message)) n++;
  }
  return n;
}
