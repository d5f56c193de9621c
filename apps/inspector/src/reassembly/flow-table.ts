import { TcpReassembler } from './tcp-stream.js';

/** One end of a transport flow. */
export interface Endpoint {
  /** IP address in text form. */
  ip: string;
  /** Port. */
  port: number;
}

/** Which way a payload went relative to the side that opened the flow. */
export type Direction = 'c2s' | 's2c';

/** A transport flow (TCP connection or UDP address pair) with its stream number. */
export interface Flow<State> {
  /** Stream number, from 0 in order of first appearance (TCP and UDP share the numbering). */
  id: number;
  /** "tcp" or "udp". */
  protocol: 'tcp' | 'udp';
  /** The side that opened the flow (sent the SYN, or was seen first). */
  client: Endpoint;
  /** The other side. */
  server: Endpoint;
  /** Reassembly of the client-to-server bytes (TCP only). */
  c2s: TcpReassembler;
  /** Reassembly of the server-to-client bytes (TCP only). */
  s2c: TcpReassembler;
  /** FIN or RST seen per direction. */
  closed: { c2s: boolean; s2c: boolean };
  /** Whatever the decoder keeps per flow. */
  state: State;
}

/** Text key of an endpoint: "1.2.3.4:80" or "[::1]:80". */
export function endpointKey(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/**
 * Tracks flows by their address pair and numbers them. A SYN on a pair whose previous connection closed starts
 * a new stream, as port reuse does. The table is bounded: the oldest flow is evicted (after `onEvict`) when full.
 */
export class FlowTable<State> {
  private readonly flows = new Map<string, Flow<State>>();
  private nextId = 0;

  constructor(
    private readonly createState: (flow: Omit<Flow<State>, 'state'>) => State,
    private readonly onEvict: (flow: Flow<State>) => void,
    private readonly maxFlows = 65536,
  ) {}

  /** Finds or creates the flow of a packet; returns it and the packet's direction. */
  lookup(
    protocol: 'tcp' | 'udp',
    src: Endpoint,
    dst: Endpoint,
    hint: { newConnection?: boolean; srcIsServer?: boolean } = {},
  ): { flow: Flow<State>; direction: Direction } {
    const newConnection = hint.newConnection ?? false;
    const a = endpointKey(src);
    const b = endpointKey(dst);
    const key = `${protocol} ${a < b ? `${a} ${b}` : `${b} ${a}`}`;
    let flow = this.flows.get(key);
    if (flow && newConnection && (flow.closed.c2s || flow.closed.s2c)) {
      this.onEvict(flow);
      this.flows.delete(key);
      flow = undefined;
    }
    if (!flow) {
      if (this.flows.size >= this.maxFlows) this.evictOldest();
      const base = {
        id: this.nextId++,
        protocol,
        client: hint.srcIsServer ? dst : src,
        server: hint.srcIsServer ? src : dst,
        c2s: new TcpReassembler(),
        s2c: new TcpReassembler(),
        closed: { c2s: false, s2c: false },
      };
      flow = { ...base, state: this.createState(base) };
      this.flows.set(key, flow);
    }
    const direction: Direction = endpointKey(flow.client) === a && endpointKey(flow.server) === b ? 'c2s' : 's2c';
    return { flow, direction };
  }

  /** Every flow still tracked, oldest first. */
  all(): Flow<State>[] {
    return [...this.flows.values()];
  }

  private evictOldest(): void {
    const [key, flow] = this.flows.entries().next().value as [string, Flow<State>];
    this.onEvict(flow);
    this.flows.delete(key);
  }
}
