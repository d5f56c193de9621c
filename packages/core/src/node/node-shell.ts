import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { NodeRole } from '../identity/node-role.js';
import { createKeyRing, type KeyRing } from '../trust/key-ring.js';
import { createOffenceTracker, type OffenceTracker } from '../trust/offence-tracker.js';
import { createSenderFairness, type SenderFairness } from '../flow/sender-fairness.js';
import { createPenaltyBox, type PenaltyBox } from '../mesh/penalty-box.js';
import type { Clock } from '../util/clock.js';
import { silentLogger, type Logger } from '../util/logger.js';
import type { ResolvedNodeConfig } from './config.js';
import type { EnvelopeHandler, LanEnvelopeHandler } from './extensions.js';
import { TypedEmitter } from './typed-emitter.js';

/** Where a node is in its one-way life: a node is started at most once and never restarted. */
export type NodeState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** The lifecycle state, one object shared by the shell and the running node so both always agree. */
export interface NodeLifecycle {
  /** Current state. */
  state: NodeState;
}

/**
 * What a node is before start(): a validated configuration and the application's listeners, nothing bound and no
 * identity loaded. start() builds a RunningNode around it.
 */
export interface NodeShell {
  /** The validated configuration. */
  readonly config: ResolvedNodeConfig;
  /** This node's name, as sent in Hello and announcements. */
  readonly name: string;
  /** This node's role. */
  readonly role: NodeRole;
  /** Where to log. */
  readonly logger: Logger;
  /** Time source of every protocol timer. */
  readonly clock: Clock;
  /** The application's event listeners. */
  readonly emitter: TypedEmitter;
  /** Handlers for envelopes the node does not handle itself (NodeExtensions.onEnvelope). */
  readonly extraHandlers: Set<EnvelopeHandler>;
  /** Handlers for LAN datagrams other than announcements (NodeExtensions.onLanEnvelope). */
  readonly lanHandlers: Set<LanEnvelopeHandler>;
  /** Random per run, so peers tell a restarted node from the one they knew. */
  readonly instanceId: Uint8Array;
  /** Lifecycle state. */
  readonly lifecycle: NodeLifecycle;
  /**
   * Keys of other peers (TLS certificates, signed messages, the application's contacts), to seal directs to them;
   * here rather than in the running node so an application can hand over its contacts' keys before start().
   */
  readonly keys: KeyRing;
  /** Neighbours that passed on messages with bad signatures. */
  readonly offences: OffenceTracker;
  /** Broadcasts, directs and acknowledgements dropped because their signature did not prove their author. */
  readonly trustCounters: { messagesRejected: number };
  /** Neighbours that flooded: not dialled, and refused, until their penalty expires. */
  readonly penalties: PenaltyBox;
  /** Runs the persist hook round-robin by sender, so one sender's flood never delays the others' messages. */
  readonly persistGate: SenderFairness;
}

/** The shell of a node that has not started. */
export function createNodeShell(config: ResolvedNodeConfig): NodeShell {
  const logger = config.logger ?? silentLogger;
  return {
    config,
    name: config.name ?? [...hostname()].slice(0, 64).join(''),
    role: config.role,
    logger,
    clock: config.clock,
    emitter: new TypedEmitter(logger),
    extraHandlers: new Set(),
    lanHandlers: new Set(),
    instanceId: randomBytes(16),
    lifecycle: { state: 'new' },
    keys: createKeyRing(),
    offences: createOffenceTracker(),
    trustCounters: { messagesRejected: 0 },
    penalties: createPenaltyBox({ now: () => config.clock.now() }),
    persistGate: createSenderFairness({ concurrency: config.limits.persistConcurrency, maxQueuedPerSender: config.limits.persistQueuePerSender }),
  };
}
