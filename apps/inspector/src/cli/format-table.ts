import pc from 'picocolors';
import { safeJson, sanitizeText } from '@p2p/core';
import type { InspectedMessage, MessageEndpoint } from '../decode/message.js';
import type { FieldValue } from '../decode/fields.js';

/** Colour functions, or identity when colour is off. */
export type Colors = Pick<typeof pc, 'dim' | 'red' | 'green' | 'cyan' | 'yellow' | 'bold' | 'magenta'>;

/** Colours for a terminal, or none. */
export function createColors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/** An endpoint as a table cell: the peer's name (or short ID) when known, else the address. */
export function endpointLabel(e: MessageEndpoint): string {
  const address = e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
  // A name comes from the network (a Hello, an announcement): neutralised before it reaches the terminal.
  if (e.name) return `${sanitizeText(e.name)}(${address})`;
  if (e.peerId) return `${e.peerId.slice(0, 10)}(${address})`;
  return address;
}

function summarise(value: FieldValue, depth = 0): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => summarise(v, depth + 1)).join(',')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value)
      .filter(([, v]) => v !== '' && v !== 0 && v !== false && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => `${k}=${summarise(v, depth + 1)}`);
    return depth === 0 ? parts.join(' ') : `{${parts.join(' ')}}`;
  }
  if (typeof value === 'string') {
    if (/^[0-9a-f]{65,}$/.test(value)) return `${value.slice(0, 16)}…(${value.length / 2}B)`;
    if (/^[a-z2-7]{52}$/.test(value)) return value.slice(0, 10);
    // Quoted as JSON, with control and format characters as \u escapes: a text cannot drive the terminal.
    return safeJson(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  return String(value);
}

/** The header line of the table. */
export function tableHeader(colors: Colors): string {
  return colors.bold(`${'TIME'.padEnd(15)} ${'STREAM'.padStart(6)} ${'PROTO'.padEnd(5)} ${'SOURCE'.padEnd(30)}    ${'DESTINATION'.padEnd(30)} ${'TYPE'.padEnd(16)} FIELDS`);
}

/** One message as one table line. */
export function tableLine(m: InspectedMessage, colors: Colors): string {
  const time = m.time.slice(11, 26);
  const label = m.clique ? `clique.${m.clique.op}` : m.type;
  const type = m.type === 'undecodable' ? colors.red(m.type.padEnd(16)) : m.type.startsWith('tls') ? colors.yellow(m.type.padEnd(16)) : colors.green(label.padEnd(16));
  const fields = summarise(m.fields);
  return `${colors.dim(time)} ${String(m.stream).padStart(6)} ${m.transport.padEnd(5)} ${colors.cyan(endpointLabel(m.src).padEnd(30))} -> ${colors.cyan(endpointLabel(m.dst).padEnd(30))} ${type} ${fields.length > 200 ? `${fields.slice(0, 197)}...` : fields}`;
}
