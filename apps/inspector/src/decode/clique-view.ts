import type { FieldValue } from './fields.js';

/** What a clique message says about client names: its operation and every client name it involves. */
export interface CliqueView {
  /** The Clique operation: "message", "clientRegister", "nameTaken", ... */
  op: string;
  /** Client names the message is about: author and recipient of a line, the name registered, joined or left. */
  clients: string[];
  /** Chat lines it carries: 1 for a message, the burst's size for lines, else absent. */
  lines?: number;
}

type Obj = { [key: string]: FieldValue };
const obj = (v: FieldValue | undefined): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const str = (v: FieldValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The client names of a decoded clique message (fields as envelopeFields gives them), so that clique traffic can be
 * shown and filtered per client name even where it travels between servers. Undefined for other messages.
 */
export function cliqueView(type: string, fields: Obj): CliqueView | undefined {
  if (type !== 'clique') return undefined;
  // Every case of the oneof is present with defaults: the one set is the first non-null object.
  const entry = Object.entries(fields).find(([, v]) => obj(v) !== undefined);
  if (!entry) return { op: 'empty', clients: [] };
  const [op, value] = [entry[0], obj(entry[1])!];
  const names = new Set<string>();
  const add = (v: FieldValue | undefined) => { const s = str(v); if (s && s !== '*') names.add(s); };
  switch (op) {
    case 'message': add(value.from); add(value.to); return { op, clients: [...names], lines: 1 };
    case 'lines': {
      add(value.from);
      add(value.to);
      const body = obj(value.body);
      return { op, clients: [...names], lines: Array.isArray(body?.lines) ? body.lines.length : 0 };
    }
    case 'clientRegister': case 'clientRegistered': case 'nameTaken': case 'clientLeft': case 'claimAnswer': add(value.name); break;
    case 'clientJoined': case 'nameClaim': add(obj(value.client)?.name); break;
    case 'roster': case 'onlineList':
      for (const c of Array.isArray(value.clients) ? value.clients : []) add(obj(c)?.name);
      break;
    default: break;
  }
  return { op, clients: [...names] };
}
