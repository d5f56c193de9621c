import { decodeDatagram, hasDatagramMagic, type DecodedEnvelope } from '@p2p/core/wire';
import { parseIp, IpProtocol } from '../capture/ip.js';
import { stripLinkLayer } from '../capture/link-layer.js';
import { parseTcp, parseUdp, type TcpSegment } from '../capture/transport.js';
import { formatTimestamp, type CapturedPacket, type Timestamp } from '../capture/types.js';
import { FlowTable, type Direction, type Endpoint, type Flow } from '../reassembly/flow-table.js';
import type { StreamChunk } from '../reassembly/tcp-stream.js';
import type { KeyLog } from '../tls/key-log.js';
import { cliqueView } from './clique-view.js';
import { envelopeFields, type FieldValue } from './fields.js';
import { UNDECODABLE, type InspectedMessage } from './message.js';
import { PeerDirectory } from './peer-directory.js';
import { createInspectorStats, type InspectorStats } from './stats.js';
import { TcpFlowDecoder, type FlowItem } from './tcp-flow-decoder.js';

/** Options of an Inspector. */
export interface InspectorOptions {
  /** Secrets for decrypting TLS 1.3 sessions. */
  keyLog?: KeyLog;
}

interface FlowState {
  // TCP only: the decoder of the connection's bytes.
  decoder?: TcpFlowDecoder;
  // A flow becomes "ours" once a frame decoded or a TLS hello was seen; until then its undecodable output is
  // held back, so foreign connections in the capture (ssh, http) do not flood the output.
  proven: boolean;
  held: InspectedMessage[];
}

const MAX_HELD = 64;

/**
 * Turns captured packets into the protocol's messages: finds our UDP datagrams by their magic, reassembles every
 * TCP stream, decrypts TLS 1.3 with a key log, splits frames and decodes envelopes. Nothing in the input can make
 * it throw: bad bytes become "undecodable" items with the reason.
 */
export class Inspector {
  /** Counters of what was read. */
  readonly stats: InspectorStats = createInspectorStats();
  private readonly peers = new PeerDirectory();
  private readonly flows: FlowTable<FlowState>;
  private out: InspectedMessage[] = [];
  private index = 0;

  constructor(options: InspectorOptions = {}) {
    this.flows = new FlowTable<FlowState>(
      (flow) => ({ proven: false, held: [], ...(flow.protocol === 'tcp' ? { decoder: new TcpFlowDecoder(options.keyLog, this.stats) } : {}) }),
      (flow) => this.finishFlow(flow),
    );
  }

  /** Decodes one captured packet; returns the messages it completed. */
  push(packet: CapturedPacket): InspectedMessage[] {
    this.out = [];
    this.stats.packets++;
    const network = stripLinkLayer(packet.linkType, packet.data);
    if (typeof network === 'string') {
      this.stats.notIp++;
      return this.out;
    }
    const ip = parseIp(network);
    if (typeof ip === 'string') {
      this.stats.damaged++;
      return this.out;
    }
    if (ip.fragment) {
      this.stats.fragments++;
      return this.out;
    }
    if (ip.protocol === IpProtocol.UDP) {
      const udp = parseUdp(ip.payload);
      if (typeof udp === 'string') this.stats.damaged++;
      else this.onUdp(packet, { ip: ip.src, port: udp.srcPort }, { ip: ip.dst, port: udp.dstPort }, udp.payload);
    } else if (ip.protocol === IpProtocol.TCP) {
      const tcp = parseTcp(ip.payload);
      if (typeof tcp === 'string') this.stats.damaged++;
      else this.onTcp(packet, { ip: ip.src, port: tcp.srcPort }, { ip: ip.dst, port: tcp.dstPort }, tcp);
    }
    return this.out;
  }

  /** Declares the end of the capture: flushes every stream and reports unfinished frames. */
  end(): InspectedMessage[] {
    this.out = [];
    for (const flow of this.flows.all()) this.finishFlow(flow);
    return this.out;
  }

  private onUdp(packet: CapturedPacket, src: Endpoint, dst: Endpoint, payload: Uint8Array): void {
    this.stats.udpDatagrams++;
    if (!hasDatagramMagic(payload)) {
      this.stats.foreignDatagrams++;
      return;
    }
    const { flow, direction } = this.flows.lookup('udp', src, dst);
    flow.state.proven = true;
    let envelope: DecodedEnvelope;
    try {
      envelope = decodeDatagram(payload).envelope;
    } catch (err) {
      this.emit(flow, direction, packet.time, packet.number, 'udp', UNDECODABLE, this.errorFields(err), payload, payload.length);
      return;
    }
    this.emitEnvelope(flow, direction, packet.time, packet.number, 'udp', envelope, payload, payload.length);
  }

  private onTcp(packet: CapturedPacket, src: Endpoint, dst: Endpoint, tcp: TcpSegment): void {
    this.stats.tcpSegments++;
    const { flow, direction } = this.flows.lookup('tcp', src, dst, {
      newConnection: tcp.syn && !tcp.hasAck,
      srcIsServer: tcp.syn ? tcp.hasAck : src.port < dst.port,
    });
    const chunks = flow[direction].push(tcp.seq, tcp.payload, tcp.syn, packet.time, packet.number);
    this.deliver(flow, direction, chunks);
    if (tcp.fin || tcp.rst) flow.closed[direction] = true;
  }

  private deliver(flow: Flow<FlowState>, direction: Direction, chunks: StreamChunk[]): void {
    const decoder = flow.state.decoder!;
    const fromStart = flow[direction].sawStart;
    for (const chunk of chunks) {
      if (chunk.kind === 'gap') this.stats.missingBytes += chunk.missing;
      const items = chunk.kind === 'gap'
        ? decoder.gap(direction, chunk.missing, fromStart, chunk.time, chunk.packet)
        : decoder.bytes(direction, chunk.bytes, fromStart, chunk.time, chunk.packet);
      this.emitItems(flow, direction, items);
    }
    if (decoder.kind === 'tls' && fromStart) flow.state.proven = true;
  }

  private finishFlow(flow: Flow<FlowState>): void {
    const decoder = flow.state.decoder;
    if (decoder) {
      for (const direction of ['c2s', 's2c'] as const) {
        this.deliver(flow, direction, flow[direction].flush());
        this.stats.retransmittedBytes += flow[direction].retransmittedBytes;
        flow[direction].retransmittedBytes = 0;
        this.emitItems(flow, direction, decoder.end(direction));
      }
    }
    if (!flow.state.proven && flow.state.held.length > 0) this.stats.foreignStreams++;
    flow.state.held = [];
  }

  private emitItems(flow: Flow<FlowState>, direction: Direction, items: FlowItem[]): void {
    const transport = flow.state.decoder!.transport;
    for (const item of items) {
      if (item.kind === 'frame') {
        flow.state.proven = true;
        this.emitEnvelope(flow, direction, item.time, item.packet, transport, item.envelope, item.raw, item.size);
      } else {
        this.emit(flow, direction, item.time, item.packet, transport, item.type, item.fields, item.raw, item.size);
      }
    }
  }

  private emitEnvelope(flow: Flow<FlowState>, direction: Direction, time: Timestamp, packet: number, transport: 'udp' | 'tcp' | 'tls', envelope: DecodedEnvelope, raw: Uint8Array, size: number): void {
    const src = direction === 'c2s' ? flow.client : flow.server;
    this.peers.learn(src, envelope);
    let decoded: { type: string; fields: { [key: string]: FieldValue } };
    try {
      decoded = envelopeFields(envelope);
    } catch (err) {
      decoded = { type: UNDECODABLE, fields: this.errorFields(err) };
    }
    this.emit(flow, direction, time, packet, transport, decoded.type, decoded.fields, raw, size);
  }

  private emit(flow: Flow<FlowState>, direction: Direction, time: Timestamp, packet: number, transport: 'udp' | 'tcp' | 'tls', type: string, fields: { [key: string]: FieldValue }, raw: Uint8Array, size: number): void {
    const src = direction === 'c2s' ? flow.client : flow.server;
    const dst = direction === 'c2s' ? flow.server : flow.client;
    const message: InspectedMessage = {
      index: 0,
      timestamp: time,
      time: formatTimestamp(time),
      packet,
      src: this.peers.describe(src),
      dst: this.peers.describe(dst),
      transport,
      stream: flow.id,
      direction,
      type,
      fields,
      size,
      raw: raw.length > 65536 ? raw.slice(0, 65536) : raw,
    };
    const clique = cliqueView(type, fields);
    if (clique) message.clique = clique;
    if (!flow.state.proven && type === UNDECODABLE) {
      if (flow.state.held.length < MAX_HELD) flow.state.held.push(message);
      return;
    }
    if (flow.state.held.length > 0) {
      const held = flow.state.held;
      flow.state.held = [];
      for (const m of held) this.publish(m);
    }
    this.publish(message);
  }

  private publish(message: InspectedMessage): void {
    message.index = this.index++;
    this.stats.messages++;
    if (message.type === UNDECODABLE) this.stats.undecodable++;
    this.out.push(message);
  }

  private errorFields(err: unknown): { [key: string]: FieldValue } {
    const e = err as { code?: string; message?: string };
    return { reason: e.message ?? String(err), code: e.code ?? 'ERR_UNKNOWN' };
  }
}

/** Decodes a whole stream of packets; yields messages as they complete (see Inspector). */
export async function* inspectPackets(packets: AsyncIterable<CapturedPacket>, inspector = new Inspector()): AsyncGenerator<InspectedMessage> {
  for await (const packet of packets) yield* inspector.push(packet);
  yield* inspector.end();
}
