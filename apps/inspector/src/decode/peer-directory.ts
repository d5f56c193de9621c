import { peerIdToString, type DecodedEnvelope } from '@p2p/core/wire';
import { endpointKey, type Endpoint } from '../reassembly/flow-table.js';
import type { MessageEndpoint } from './message.js';

interface PeerName {
  peerId: string;
  name: string;
}

/**
 * Learns which peer sits at which address from Hellos (the sending endpoint, and its listen port) and Announces
 * (the datagram's source and the announced port), so later messages show peer IDs and names. Bounded.
 */
export class PeerDirectory {
  private readonly byEndpoint = new Map<string, PeerName>();

  constructor(private readonly maxEntries = 100_000) {}

  /** Updates the directory from a message sent by `src`. */
  learn(src: Endpoint, envelope: DecodedEnvelope): void {
    if (envelope.hello) {
      const peer = this.peer(envelope.hello.peerId, envelope.hello.name);
      if (!peer) return;
      this.set(src, peer);
      if (envelope.hello.listenPort) this.set({ ip: src.ip, port: envelope.hello.listenPort }, peer);
    } else if (envelope.announce?.peer) {
      const info = envelope.announce.peer;
      const peer = this.peer(info.peerId, info.name);
      if (!peer) return;
      this.set(src, peer);
      if (info.port) this.set({ ip: info.host || src.ip, port: info.port }, peer);
    }
  }

  /** The endpoint with its peer ID and name when known. */
  describe(e: Endpoint): MessageEndpoint {
    const peer = this.byEndpoint.get(endpointKey(e));
    return peer ? { ip: e.ip, port: e.port, peerId: peer.peerId, name: peer.name } : { ip: e.ip, port: e.port };
  }

  private peer(id: Uint8Array | null | undefined, name: string | null | undefined): PeerName | undefined {
    if (!id || id.length !== 32) return undefined;
    return { peerId: peerIdToString(id), name: name ?? '' };
  }

  private set(e: Endpoint, peer: PeerName): void {
    if (this.byEndpoint.size >= this.maxEntries) this.byEndpoint.delete(this.byEndpoint.keys().next().value!);
    this.byEndpoint.set(endpointKey(e), peer);
  }
}
