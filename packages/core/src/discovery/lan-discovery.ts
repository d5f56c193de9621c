import { v1, type DecodedEnvelope, type Envelope, type p2p } from '../codec/wire.js';
import { encodeDatagram, decodeDatagram } from '../framing/datagram.js';
import { PEER_ID_BYTES, peerIdToString } from '../identity/peer-id.js';
import type { HostPort } from '../transport/host-port.js';
import { every, systemClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { NodeRole } from '../identity/node-role.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { DiscoveryChannel, DiscoveryChannelOptions, Transport } from '../transport/types.js';

/** A peer heard of on the LAN: where to dial it. Nothing here is proven until a session authenticates it. */
export interface DiscoveredPeer {
  /** The peer ID the announcement claims. */
  peerId: PeerIdString;
  /** Claimed name. */
  name: string;
  /** Where to dial: the datagram's source address (never the announced host) and the announced port. */
  address: HostPort;
  /** Claimed role. */
  role: NodeRole;
  /** Claimed load. */
  load: number;
  /** Announcer's instance ID, hex. */
  instanceId: string;
}

/** What LAN discovery needs from its node. */
export interface LanDiscoveryInit {
  /** Transport whose datagram side carries announcements. */
  transport: Transport;
  /** Interface, mask, port and group. */
  channel: DiscoveryChannelOptions;
  /** Milliseconds between periodic announcements. */
  intervalMs: number;
  /** This node's current PeerInfo (peer ID, name, port, role, load). */
  self(): p2p.v1.IPeerInfo;
  /** This node's per-process instance ID. */
  instanceId: Uint8Array;
  /** Called for every announcement of another node. */
  onPeer(peer: DiscoveredPeer): void;
  /** Called for every other datagram of ours (a file search, a search hit); nothing in it is proven. */
  onEnvelope?(envelope: DecodedEnvelope, from: HostPort): void;
  /** Logger. */
  logger: Logger;
  /** Time source of announcements and the reply rate limit; the process clock by default. */
  clock?: Clock;
}

/** Counters of LAN discovery. */
export interface LanDiscoveryStats {
  /** Announcements sent (periodic, on demand, and replies). */
  sent: number;
  /** Announcements of other nodes received. */
  received: number;
  /** Datagrams ignored: ours, malformed, foreign. */
  ignored: number;
}

/** Running LAN discovery. */
export interface LanDiscovery {
  /** Announces now (a node short of peers calls this). */
  announce(): void;
  /** Sends one envelope to the whole LAN (subnet broadcast and group); false when it does not fit a datagram. */
  send(envelope: Envelope): boolean;
  /** Sends one envelope to one address inside the subnet; false when it does not fit a datagram. */
  sendTo(envelope: Envelope, to: HostPort): boolean;
  /** Counters. */
  stats(): LanDiscoveryStats;
  /** Stops announcing and closes the sockets. */
  stop(): Promise<void>;
}

const ROLE_NAMES: Record<number, NodeRole> = { [v1.Role.ROLE_SEED]: 'seed', [v1.Role.ROLE_SERVER]: 'server' };
const REPLY_MEMORY = 4096;
const MAX_REPLIES_PER_SECOND = 50;

/**
 * UDP announcements at start, every intervalMs, on demand, and as an immediate (unicast) reply to a newcomer's
 * announcement, so a joining node sees the LAN within about a second.
 */
export async function startLanDiscovery(init: LanDiscoveryInit): Promise<LanDiscovery> {
  const clock = init.clock ?? systemClock;
  const selfHex = Buffer.from(init.instanceId).toString('hex');
  const selfId = Buffer.from(init.self().peerId!);
  const stats: LanDiscoveryStats = { sent: 0, received: 0, ignored: 0 };
  // instance ID -> when we last replied to it: one reply per newcomer per interval, and a global cap, so that
  // forged announcements cannot turn us into an amplifier.
  const replied = new Map<string, number>();
  let replyWindow = 0;
  let repliesInWindow = 0;
  let channel: DiscoveryChannel | undefined;

  const build = (isReply: boolean): Uint8Array =>
    encodeDatagram({ announce: { peer: init.self(), instanceId: init.instanceId, isReply } });

  const onDatagram = (bytes: Uint8Array, from: HostPort): void => {
    let announce: p2p.v1.IAnnounce | null | undefined;
    try {
      const envelope = decodeDatagram(bytes).envelope;
      if (envelope.body !== 'announce') {
        if (init.onEnvelope) init.onEnvelope(envelope, from);
        else stats.ignored++;
        return;
      }
      announce = envelope.announce;
    } catch {
      stats.ignored++;
      return;
    }
    const peer = announce?.peer;
    const instance = announce?.instanceId ? Buffer.from(announce.instanceId).toString('hex') : '';
    if (!announce || !peer?.peerId || peer.peerId.length !== PEER_ID_BYTES || !peer.port || !instance || instance === selfHex) {
      stats.ignored++;
      return;
    }
    if (selfId.equals(peer.peerId)) { stats.ignored++; return; }
    const peerId = peerIdToString(peer.peerId);
    stats.received++;
    init.onPeer({
      peerId,
      name: peer.name ?? '',
      // Only the datagram's source address is believed, never the host it announces: otherwise anyone on the LAN
      // could make every node dial a third party. The port is the announcer's to say.
      address: { host: from.host, port: peer.port },
      role: ROLE_NAMES[peer.role ?? 0] ?? 'peer',
      load: peer.load ?? 0,
      instanceId: instance,
    });
    if (announce.isReply) return;
    const now = clock.now();
    if ((replied.get(instance) ?? 0) > now - init.intervalMs) return;
    if (now - replyWindow >= 1000) { replyWindow = now; repliesInWindow = 0; }
    if (++repliesInWindow > MAX_REPLIES_PER_SECOND) return;
    replied.delete(instance);
    replied.set(instance, now);
    if (replied.size > REPLY_MEMORY) replied.delete(replied.keys().next().value!);
    stats.sent++;
    channel?.reply(build(true), from);
  };

  channel = await init.transport.openDiscovery(init.channel, onDatagram);
  const announce = (): void => {
    if (!channel) return;
    stats.sent++;
    channel.announce(build(false));
  };
  announce();
  const timer = every(clock, init.intervalMs, announce);
  const encode = (envelope: Envelope): Uint8Array | undefined => {
    try { return encodeDatagram(envelope); } catch { return undefined; }
  };
  return {
    announce,
    send(envelope) {
      const bytes = encode(envelope);
      if (!bytes || !channel) return false;
      channel.announce(bytes);
      return true;
    },
    sendTo(envelope, to) {
      const bytes = encode(envelope);
      if (!bytes || !channel) return false;
      channel.reply(bytes, to);
      return true;
    },
    stats: () => ({ ...stats }),
    async stop() {
      timer.stop();
      const c = channel;
      channel = undefined;
      await c?.close();
    },
  };
}
