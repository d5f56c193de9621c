import type { Timestamp } from '../capture/types.js';
import type { Direction } from '../reassembly/flow-table.js';
import type { CliqueView } from './clique-view.js';
import { safeJson } from '@p2p/core/wire';
import { fieldsJsonOf, type FieldValue } from './fields.js';

/** One side of a message: its address and, once a Hello or an Announce named it, its peer. */
export interface MessageEndpoint {
  /** IP address. */
  ip: string;
  /** Port. */
  port: number;
  /** Peer ID in text form, once known. */
  peerId?: string;
  /** The peer's name, once known. */
  name?: string;
}

/** Type of the items that are not protocol messages. */
export const UNDECODABLE = 'undecodable';
/** Type of a TLS record shown without decryption. */
export const TLS_RECORD = 'tls-record';
/** Type of a TLS alert. */
export const TLS_ALERT = 'tls-alert';

/** One line of the inspector's output: a protocol message, an opaque TLS record, or undecodable bytes. */
export interface InspectedMessage {
  /** Position in the output, from 0. */
  index: number;
  /** Capture timestamp of the packet that completed the message. */
  timestamp: Timestamp;
  /** The timestamp in ISO 8601 (UTC, nanoseconds). */
  time: string;
  /** Number of that packet in the capture file (from 1). */
  packet: number;
  /** Sender. */
  src: MessageEndpoint;
  /** Receiver. */
  dst: MessageEndpoint;
  /** "udp", "tcp", or "tls" (TCP carrying TLS). */
  transport: 'udp' | 'tcp' | 'tls';
  /** Stream number (one per TCP connection or UDP address pair). */
  stream: number;
  /** Relative to the side that opened the stream. */
  direction: Direction;
  /** Message type (the Envelope oneof case: "hello", "broadcast", ...), "tls-record", "tls-alert" or "undecodable". */
  type: string;
  /** Every field of the message. */
  fields: { [key: string]: FieldValue };
  /** Size on the wire in bytes (frame with its length prefix, datagram, record, or skipped bytes). */
  size: number;
  /** The bytes, for the detail view (at most 64 KiB kept). */
  raw: Uint8Array;
  /** For clique messages: the operation and the client names involved. */
  clique?: CliqueView;
}

/** The JSON form printed by `--json`: stable keys first, then extras. */
export function messageToJson(m: InspectedMessage): Record<string, unknown> {
  return {
    time: m.time,
    src: m.src,
    dst: m.dst,
    transport: m.transport,
    stream: m.stream,
    type: m.type,
    fields: m.fields,
    direction: m.direction,
    size: m.size,
    packet: m.packet,
    ...(m.clique ? { clique: m.clique } : {}),
  };
}

// An endpoint as JSON: the address is ours (parsed from headers), the peer ID base32; only the name came from the
// network and is escaped. Same text as safeJson(e).
function endpointJson(e: MessageEndpoint): string {
  let text = `{"ip":"${e.ip}","port":${e.port}`;
  if (e.peerId !== undefined) text += `,"peerId":${safeJson(e.peerId)}`;
  if (e.name !== undefined) text += `,"name":${safeJson(e.name)}`;
  return `${text}}`;
}

/**
 * The `--json` line of a message: exactly safeJson(messageToJson(m)), but with the fields' JSON written while they
 * were decoded instead of serialised and scanned again, and the inspector's own values (time, numbers, type names)
 * written as they are (most of the cost of printing a large capture).
 */
export function messageJsonLine(m: InspectedMessage): string {
  const fields = fieldsJsonOf(m.fields) ?? safeJson(m.fields);
  return `{"time":"${m.time}","src":${endpointJson(m.src)},"dst":${endpointJson(m.dst)},"transport":"${m.transport}",`
    + `"stream":${m.stream},"type":${safeJson(m.type)},"fields":${fields},"direction":"${m.direction}",`
    + `"size":${m.size},"packet":${m.packet}${m.clique ? `,"clique":${safeJson(m.clique)}` : ''}}`;
}
