import { randomBytes } from 'node:crypto';
import { decodeEnvelope, encodeEnvelope } from '../src/codec/envelope-codec.js';
import type { p2p } from '../src/codec/wire.js';
import { decodeBurstBody, encodeBurstBody } from '../src/clique/burst-body.js';
import { createCliqueEngine } from '../src/clique/clique-engine.js';
import type { CliqueEngine, CliqueLimits, CliqueServerInfo } from '../src/clique/types.js';
import { peerIdFromString, peerIdToString } from '../src/identity/peer-id.js';
import type { PeerIdString } from '../src/identity/peer-id.js';
import { VirtualClock } from './simulation-harness.js';

/** A peer ID whose bytes start with `first` (so tie-breaks on server ID are predictable). */
export function idStartingWith(first: number): PeerIdString {
  const b = randomBytes(32);
  b[0] = first;
  return peerIdToString(b);
}

/** What a simulated client received. */
export interface SimClient {
  id: PeerIdString;
  server: string | undefined;
  inbox: p2p.v1.IClique[];
  dropped: string[];
  /** A client that does not read: its session takes nothing more (a full queue). */
  stuck?: boolean;
}

/**
 * Clique engines on a virtual clock. Every message goes through the real codec and arrives `latencyMs` later (per
 * link, FIFO). Sessions between servers open when one dials the other; a killed server's sessions are declared dead
 * by the others `livenessMs` later, as the node's liveness would.
 */
export function cliqueSim(opts: {
  limits?: Partial<CliqueLimits>;
  livenessMs?: number;
  /** Sees every server-to-server message (and its encoded size); 'drop' loses it on the way. */
  tap?: (from: string, to: string, m: p2p.v1.IClique, bytes: number) => 'drop' | void;
} = {}) {
  const clock = new VirtualClock();
  const livenessMs = opts.livenessMs ?? 2500;
  const engines = new Map<string, CliqueEngine>();
  const infos = new Map<string, CliqueServerInfo>();
  const byId = new Map<PeerIdString, string>();
  const links = new Set<string>();
  // Pairs that cannot reach each other (a cut link): dials between them fail until healed.
  const blocked = new Set<string>();
  const refused: { by: string; server: string; reason: string }[] = [];
  const clients = new Map<string, SimClient>();
  const clientById = new Map<PeerIdString, string>();
  const latency = new Map<string, number>();
  // Bytes sent on each directed link and not delivered yet: what the sender's session would still hold.
  const inflight = new Map<string, number>();
  const linkKey = (a: string, b: string) => [a, b].sort().join('|');
  const wire = (m: p2p.v1.IClique): p2p.v1.IClique => decodeEnvelope(encodeEnvelope({ clique: m })).clique!;

  const connect = (a: string, b: string) => {
    if (a === b || links.has(linkKey(a, b)) || blocked.has(linkKey(a, b)) || !engines.has(a) || !engines.has(b)) return;
    links.add(linkKey(a, b));
    engines.get(a)!.serverUp(infos.get(b)!);
    engines.get(b)!.serverUp(infos.get(a)!);
  };
  const disconnect = (a: string, b: string, delayA = 0, delayB = 0) => {
    if (!links.delete(linkKey(a, b))) return;
    clock.setTimeout(() => engines.get(a)?.serverDown(infos.get(b)!.peerId), delayA);
    clock.setTimeout(() => engines.get(b)?.serverDown(infos.get(a)!.peerId), delayB);
  };

  const sim = {
    clock, engines, infos, refused, clients,
    /** Starts a server; `allow` lists server names. */
    addServer(name: string, init: { id?: PeerIdString; allow?: string[]; limits?: Partial<CliqueLimits> } = {}) {
      const id = init.id ?? idStartingWith(0x10 * (engines.size + 1));
      const info = { peerId: id, name, host: '127.0.0.1', port: 7000 + engines.size };
      infos.set(name, info);
      byId.set(id, name);
      const engine = createCliqueEngine({
        self: info, clock, limits: { ...opts.limits, ...init.limits },
        allow: init.allow?.map((n) => infos.get(n)?.peerId ?? n),
        verifyLine: (m) => (m.signature && Buffer.from(m.signature).toString() === 'ok' && m.authorId ? peerIdToString(m.authorId) : undefined),
        verifyBurst: (m) => (m.signature && Buffer.from(m.signature).toString() === 'ok' && m.authorId ? peerIdToString(m.authorId) : undefined),
        sendToServer: (to, m) => {
          const peer = byId.get(to)!;
          if (!links.has(linkKey(name, peer))) return false;
          const size = encodeEnvelope({ clique: m }).length;
          if (opts.tap?.(name, peer, m, size) === 'drop') return true;
          const bytes = wire(m);
          const dir = `${name}>${peer}`;
          inflight.set(dir, (inflight.get(dir) ?? 0) + size);
          clock.setTimeout(() => {
            inflight.set(dir, inflight.get(dir)! - size);
            if (links.has(linkKey(name, peer)) && !blocked.has(linkKey(name, peer))) engines.get(peer)!.handleServer(id, bytes);
          }, latency.get(dir) ?? 1);
          return true;
        },
        pendingBytes: (to) => inflight.get(`${name}>${byId.get(to)}`) ?? 0,
        sendToClient: (to, m) => {
          const c = clients.get(clientById.get(to)!);
          if (!c || c.server !== name || c.stuck) return false;
          const bytes = wire(m);
          clock.setTimeout(() => { if (c.server === name) c.inbox.push(bytes); }, 1);
          return true;
        },
        dialServer: (target) => { const t = byId.get(target.peerId); if (t) clock.setTimeout(() => connect(name, t), 1); },
        dropClient: (client, reason) => {
          const c = clients.get(clientById.get(client)!);
          if (c && c.server === name) { c.dropped.push(reason); c.server = undefined; }
        },
        refuseServer: (server, reason) => {
          refused.push({ by: name, server: byId.get(server)!, reason });
          disconnect(name, byId.get(server)!);
        },
      });
      engines.set(name, engine);
      return info;
    },
    connect,
    /**
     * Cuts the link between two servers silently: what they send each other is lost, each declares the other dead
     * after the liveness time, and dials between them fail until healed.
     */
    cut(a: string, b: string) {
      blocked.add(linkKey(a, b));
      clock.setTimeout(() => disconnect(a, b), livenessMs);
    },
    /** Lets the two reach each other again (their redials then succeed). */
    heal(a: string, b: string) { blocked.delete(linkKey(a, b)); },
    /** Sets the one-way latency from a to b. */
    latency(a: string, b: string, ms: number) { latency.set(`${a}>${b}`, ms); },
    /** Kills a server: its peers notice after the liveness time, its clients at once. */
    kill(name: string) {
      const e = engines.get(name)!;
      e.stop();
      engines.delete(name);
      for (const l of [...links]) {
        const [a, b] = l.split('|') as [string, string];
        if (a === name || b === name) {
          links.delete(l);
          const other = a === name ? b : a;
          clock.setTimeout(() => engines.get(other)?.serverDown(infos.get(name)!.peerId), livenessMs);
        }
      }
      for (const c of clients.values()) if (c.server === name) { c.server = undefined; c.dropped.push('server died'); }
    },
    /** Attaches a client (new, or an existing one by name) to a server. */
    attach(label: string, server: string): SimClient {
      let c = clients.get(label);
      if (!c) {
        c = { id: peerIdToString(randomBytes(32)), server: undefined, inbox: [], dropped: [] };
        clients.set(label, c);
        clientById.set(c.id, label);
      }
      const up = engines.get(server)!.clientUp(c.id);
      if (up !== true) throw new Error(up.detail);
      c.server = server;
      return c;
    },
    detach(label: string) {
      const c = clients.get(label)!;
      const s = c.server!;
      c.server = undefined;
      engines.get(s)?.clientDown(c.id, 'quit');
    },
    register(label: string, name: string) {
      const c = clients.get(label)!;
      engines.get(c.server!)!.handleClient(c.id, { clientRegister: { name } });
    },
    /** Sends any Clique message from a client. */
    raw(label: string, m: p2p.v1.IClique) {
      const c = clients.get(label)!;
      engines.get(c.server!)!.handleClient(c.id, m);
    },
    /** Sends a "signed" line (the simulation's verifier accepts the signature "ok"). */
    line(label: string, from: string, to: string, text: string, signature = 'ok'): Uint8Array {
      const c = clients.get(label)!;
      const messageId = randomBytes(16);
      engines.get(c.server!)!.handleClient(c.id, {
        message: { messageId, from, to, chat: { text, fromName: from, sentAtMs: clock.now() }, authorId: peerIdFromString(c.id), signature: Buffer.from(signature) },
      });
      return messageId;
    },
    /** Sends a "signed" burst of lines (CliqueLines) to one recipient; returns its batch ID. */
    burst(label: string, from: string, to: string, texts: string[], signature = 'ok', batchId: Uint8Array = randomBytes(16)): Uint8Array {
      const c = clients.get(label)!;
      engines.get(c.server!)!.handleClient(c.id, {
        lines: { batchId, from, to, body: encodeBurstBody(texts.map((text) => ({ text, sentAtMs: clock.now() }))), authorId: peerIdFromString(c.id), signature: Buffer.from(signature) },
      });
      return batchId;
    },
    run(ms = 100) { clock.runIdle(ms); },
    /** Lines (chat texts) a client received, single or in bursts, in order. */
    texts(label: string): string[] {
      return clients.get(label)!.inbox.flatMap((m) => (m.message ? [m.message.chat!.text!] : (decodeBurstBody(m.lines?.body ?? new Uint8Array()) ?? []).map((l) => l.text!)));
    },
    /** The delivery report a client got for a line. */
    report(label: string, id: Uint8Array): p2p.v1.IDeliveryReport | undefined {
      return clients.get(label)!.inbox.find((m) => m.deliveryReport && Buffer.from(m.deliveryReport.messageId!).equals(id))?.deliveryReport ?? undefined;
    },
    /** Who holds each name, as one server sees it: name -> server name. */
    view(server: string): Record<string, string> {
      return Object.fromEntries(engines.get(server)!.online().map((h) => [h.name, byId.get(h.serverId)!]));
    },
    nameOf: (id: PeerIdString) => byId.get(id),
  };
  return sim;
}
