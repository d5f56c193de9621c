/** The report's sections, each from the result files it needs; a missing file gives a line saying what to run. */
import { at, fmt, mdTable, num } from './results.js';

type R = Map<string, Record<string, unknown>>;
type Named = { name: string; medianMs?: number; p90Ms?: number; medianMiBs?: number };

const missing = (what: string, how: string) => `_Not measured in this run (${what}): ${how}._\n`;
const byName = (list: unknown, part: string): Named | undefined => (Array.isArray(list) ? (list as Named[]).find((x) => x.name.includes(part)) : undefined);

/** One row of the headline table: a target, our figure, the rival's, and whether it is met. */
export interface Headline {
  what: string;
  target: string;
  ours: string;
  rival: string;
  met: boolean | undefined;
  note?: string;
}

/** The headline rows (the targets of the issue), each from this run's files. */
export function headlines(r: R): Headline[] {
  const rows: Headline[] = [];
  const insp = r.get('inspector-decode');
  const inspRow = (part: string) => (at(insp, 'rows') as { what: string; seconds: number }[] | undefined)?.find((x) => x.what.includes(part));
  const ours = inspRow('p2p-inspect --json');
  const tshark = inspRow('-T fields');
  rows.push({
    what: '`p2p-inspect --json` end to end vs `tshark -T fields`, same capture', target: 'at least as fast',
    ours: ours ? `${fmt(ours.seconds, 2)} s` : 'n/a', rival: tshark ? `${fmt(tshark.seconds, 2)} s` : 'n/a',
    met: ours && tshark ? ours.seconds <= tshark.seconds : undefined,
    note: ours && tshark ? `${fmt(tshark.seconds / ours.seconds, 2)}x tshark's speed` : undefined,
  });
  const perSession = num(r.get('core-session'), 'memory.perSessionKiB');
  const libPerConn = num(r.get('core-libp2p'), 'memory.perConnectionKiB.libp2p');
  rows.push({ what: 'RSS per session (TLS 1.3)', target: '≤ 80 KiB', ours: `${fmt(perSession, 0)} KiB`, rival: `js-libp2p ${fmt(libPerConn, 0)} KiB per connection`, met: Number.isFinite(perSession) ? perSession <= 80 : undefined });
  const idle = num(r.get('lab-idle'), 'p2pdMiB');
  const bare = num(r.get('lab-idle'), 'bareNodeMiB');
  const libIdle = num(r.get('core-libp2p'), 'memory.idleMiB.libp2p');
  rows.push({ what: 'idle `p2pd` RSS (the real daemon, defaults)', target: '≤ 60 MiB', ours: `${fmt(idle)} MiB`, rival: `js-libp2p idle node ${fmt(libIdle)} MiB; bare node ${fmt(bare)} MiB`, met: Number.isFinite(idle) ? idle <= 60 : undefined });
  const bc = r.get('core-broadcast');
  const plum = (at(bc, 'modes') as { mode: string; copiesPerNodePerMessage: number; medianMs: number }[] | undefined)?.find((m) => m.mode === 'plumtree');
  const flood = (at(bc, 'modes') as { mode: string; copiesPerNodePerMessage: number; medianMs: number }[] | undefined)?.find((m) => m.mode === 'flood');
  const gs = r.get('lab-gossipsub');
  rows.push({
    what: `broadcast copies received per node per message (${num(bc, 'nodes') || '?'} nodes)`, target: '≤ 1.2',
    ours: plum ? fmt(plum.copiesPerNodePerMessage, 3) : 'n/a', rival: `gossipsub ${fmt(num(gs, 'copiesPerNodePerMessage'), 2)} (${num(gs, 'nodes') || '?'} nodes); flooding ${flood ? fmt(flood.copiesPerNodePerMessage, 2) : 'n/a'}`,
    met: plum ? plum.copiesPerNodePerMessage <= 1.2 : undefined,
  });
  rows.push({
    what: 'broadcast time to all nodes, median', target: 'no worse than gossipsub at the same node count',
    ours: plum ? `${fmt(plum.medianMs)} ms` : 'n/a',
    rival: `gossipsub ${fmt(num(gs, 'medianMs'))} ms (reached all ${num(gs, 'complete')}/${num(gs, 'messages')} times)`,
    // Only a gossipsub run that reached every node can be compared on time-to-all.
    met: plum && Number.isFinite(num(gs, 'medianMs')) && num(gs, 'complete') === num(gs, 'messages')
      ? plum.medianMs <= num(gs, 'medianMs') && num(gs, 'nodes') === num(bc, 'nodes') : undefined,
  });
  const setup = at(r.get('core-libp2p'), 'setup');
  const oursSetup = byName(setup, 'our node')?.medianMs ?? NaN;
  const libSetup = byName(setup, 'js-libp2p')?.medianMs ?? NaN;
  rows.push({ what: 'session setup (connect + authenticate + first message acknowledged)', target: '≤ 1/3 of js-libp2p', ours: `${fmt(oursSetup, 2)} ms`, rival: `js-libp2p dial + first ping ${fmt(libSetup, 2)} ms`, met: Number.isFinite(oursSetup) && Number.isFinite(libSetup) ? oursSetup * 3 <= libSetup : undefined });
  return rows;
}

/** The headline table in markdown. */
export function headlineTable(rows: Headline[]): string {
  const verdict = (m: boolean | undefined) => (m === undefined ? 'not measured' : m ? '**met**' : '**not met**');
  return mdTable(['figure', 'target', 'ours', 'rival, same run', 'verdict'], rows.map((h) => [h.what, h.target, h.ours + (h.note ? ` (${h.note})` : ''), h.rival, verdict(h.met)]));
}

/** Codec vs JSON. */
export function codecSection(r: R): string {
  const c = r.get('core-codec');
  if (!c) return missing('codec', '`npm run bench` runs packages/core/bench/codec.bench.mjs');
  const cases = at(c, 'cases') as { message: string; formats: { format: string; bytes: number; encodeOps: number; decodeOps: number }[] }[];
  return `${mdTable(['message', 'format', 'bytes', 'encode ops/s', 'decode ops/s'], cases.flatMap((m) => m.formats.map((f) => [m.message, f.format, String(f.bytes), fmt(f.encodeOps, 0), fmt(f.decodeOps, 0)])))}\n\n` +
    '`json`: JSON.stringify/parse of the object with bytes already base64; `json+b64`: including the base64 and UTF-8 conversions a JSON wire format needs.\n';
}

/** Session setup and memory vs js-libp2p. */
export function sessionSection(r: R): string {
  const l = r.get('core-libp2p');
  const s = r.get('core-session');
  if (!l && !s) return missing('sessions', 'packages/core/bench/session.bench.mjs and libp2p.bench.mjs');
  const rows = [...((at(s, 'setup') as Named[] | undefined) ?? []), ...((at(l, 'setup') as Named[] | undefined) ?? []).filter((x) => x.name.includes('libp2p'))];
  const thr = (at(l, 'throughput') as Named[] | undefined) ?? [];
  return `${mdTable(['session setup', 'median ms', 'p90 ms'], rows.map((x) => [x.name, fmt(x.medianMs ?? NaN, 2), fmt(x.p90Ms ?? NaN, 2)]))}\n\n` +
    `${mdTable(['one-stream throughput on loopback', 'median MiB/s'], thr.map((x) => [x.name, fmt(x.medianMiBs ?? NaN, 0)]))}\n\n` +
    `${mdTable(['memory (RSS)', 'ours', 'js-libp2p'], [
      ['bare Node process, MiB', fmt(num(l, 'memory.bareMiB')), fmt(num(l, 'memory.bareMiB'))],
      ['idle node process, MiB', fmt(num(l, 'memory.idleMiB.ours')), fmt(num(l, 'memory.idleMiB.libp2p'))],
      [`per session / connection (${num(l, 'memory.connections') || '?'} of them), KiB`, fmt(num(l, 'memory.perConnectionKiB.ours'), 0), fmt(num(l, 'memory.perConnectionKiB.libp2p'), 0)],
      ['per session, session bench (TLS hub, 20 sessions), KiB', fmt(num(s, 'memory.perSessionKiB'), 0), ''],
    ])}\n`;
}

/** Broadcast vs flooding vs gossipsub. */
export function broadcastSection(r: R): string {
  const bc = r.get('core-broadcast');
  const gs = r.get('lab-gossipsub');
  const modes = (at(bc, 'modes') as { mode: string; messages: number; complete: number; medianMs: number; p95Ms: number; copiesPerNodePerMessage: number }[] | undefined) ?? [];
  const rows = modes.map((m) => [`our node, ${m.mode === 'flood' ? 'naive flooding (same mesh)' : 'Plumtree'}`, String(num(bc, 'nodes')), `${m.complete}/${m.messages}`, fmt(m.medianMs), fmt(m.p95Ms), fmt(m.copiesPerNodePerMessage, 3)]);
  if (gs) rows.push([`js-libp2p gossipsub ${String(at(gs, 'version'))} (D=6)`, String(num(gs, 'nodes')), `${num(gs, 'complete')}/${num(gs, 'messages')}`, fmt(num(gs, 'medianMs')), fmt(num(gs, 'p95Ms')), fmt(num(gs, 'copiesPerNodePerMessage'), 3)]);
  if (rows.length === 0) return missing('broadcast', 'packages/core/bench/broadcast.bench.mjs and the lab\'s gossipsub bench');
  return `${mdTable(['broadcast, nodes in one process on 127.0.0.1', 'nodes', 'reached all', 'to last node median ms', 'p95 ms', 'copies/node/msg'], rows)}\n\n` +
    `Each node dials 3 earlier ones (mean degree about 6) in both; ours runs TLS 1.3 sessions, gossipsub TCP + Noise + Yamux. gossipsub also sent ${fmt(num(gs, 'ihavePerMessage'), 0)} IHAVE message IDs per message.\n`;
}
