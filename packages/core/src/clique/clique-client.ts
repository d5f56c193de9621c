import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { PROTOCOL_VERSION, v1, type DecodedEnvelope, type p2p } from '../codec/wire.js';
import { createMessageSigner } from '../identity/message-signer.js';
import type { NodeIdentity } from '../identity/node-identity.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import { MAX_CHAT_TEXT_BYTES, newMessageId, toHex } from '../message/payload.js';
import { Session } from '../session/session.js';
import { TokenBucket } from '../session/token-bucket.js';
import type { HostPort } from '../transport/host-port.js';
import { createSocketTransport } from '../transport/socket-transport.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { CliqueNameTakenError, CliqueNotRegisteredError, CliqueUnreachableError } from './errors.js';
import { decodeBurstBody } from './burst-body.js';
import { burstLineCount, signBurst, verifyBurst } from './burst-signing.js';
import { settle, splitBursts, TIMED_OUT, type BurstLine, type CliqueSendResult } from './burst-lines.js';
import { createLineVerifier, signLine } from './line-signing.js';
import { EVERYONE } from './names.js';
import { DEFAULT_WHO_MAX_NAMES, gatherOnline } from './who-pages.js';

/** Ping a server silent for this long; give up on it after SILENT_MS (a killed server's socket closes at once). */
const PING_AFTER_MS = 5000;
const SILENT_MS = 20_000;

/** A line received from the clique. */
export interface CliqueLine {
  /** The author's name. */
  from: string;
  /** The recipient: this client's name, or "*". */
  to: string;
  /** The text. */
  text: string;
  /** The author's clock when written (ms since the Unix epoch). */
  sentAtMs: number;
  /** When it arrived here. */
  receivedAtMs: number;
  /** The author's peer ID, proven by the line's signature. */
  authorId: string;
}

/** One name online, as the server reports it. */
export interface CliqueOnlineEntry {
  /** The name. */
  name: string;
  /** The client's peer ID. */
  peerId: string;
  /** The server it is attached to. */
  serverId: string;
  /** That server's name. */
  serverName: string;
}

/** Events of a clique client. */
export interface CliqueClientEvents {
  /** A line for this client or for everyone. */
  line: [CliqueLine];
  /** Someone joined or left the clique. */
  joined: [CliqueOnlineEntry];
  left: [{ name: string; reason: string }];
  /** The session with the server was lost; the client is reconnecting. */
  disconnected: [{ server: HostPort; reason: string }];
  /** Registered (again) on a server. */
  registered: [{ server: HostPort; name: string; online: number }];
  /**
   * The name was refused after a reconnect (someone else took it meanwhile), or lost while held (a split clique
   * healed and an older claim won, reason "lost"): the client holds no name any more and can no longer send.
   */
  refused: [CliqueNameTakenError];
}

/** A client of the clique: one session with one server at a time, re-registering elsewhere when it dies. */
export interface CliqueClient {
  /** Connects to the first server that answers and registers the name (if one was given). */
  connect(): Promise<{ server: HostPort; online: number }>;
  /** Sends a line to a name or to "*" and waits for its delivery report. */
  send(to: string, text: string, options?: { timeoutMs?: number }): Promise<CliqueSendResult>;
  /**
   * Names online across the clique, gathered page by page; past `maxNames` (default 100,000) it fails with
   * CliqueWhoTooLargeError rather than hold an unbounded list.
   */
  who(options?: { timeoutMs?: number; maxNames?: number }): Promise<CliqueOnlineEntry[]>;
  /** The server in use. */
  readonly server: HostPort | undefined;
  /** Subscribes to an event. */
  on<E extends keyof CliqueClientEvents>(event: E, listener: (...args: CliqueClientEvents[E]) => void): this;
  /** Says goodbye and stops reconnecting. */
  close(): Promise<void>;
}

/** Options of a clique client. */
export interface CliqueClientInit {
  /** Servers' client addresses, tried in order (and in turn when one dies). */
  servers: HostPort[];
  /** The name to hold; none for a client that only asks who is online. */
  name?: string;
  /** The client's own identity (its key proves its lines). */
  identity: NodeIdentity;
  /** Plaintext (for a server started with --insecure). */
  insecure?: boolean;
  /** Reconnect to another server when the session dies; default true. */
  reconnect?: boolean;
  /** Per-attempt connect and registration timeout; default 5000 ms. */
  timeoutMs?: number;
  /** Logger. */
  logger?: Logger;
}

export type { CliqueSendResult } from './burst-lines.js';

const entryOf = (e: p2p.v1.IClientEntry): CliqueOnlineEntry => ({
  name: e.name ?? '', peerId: e.peerId?.length === 32 ? peerIdToString(e.peerId) : '',
  serverId: e.serverId?.length === 32 ? peerIdToString(e.serverId) : '', serverName: e.serverName ?? '',
});

/** Creates a clique client (not connected yet). */
export function createCliqueClient(init: CliqueClientInit): CliqueClient {
  const logger = init.logger ?? silentLogger;
  const timeoutMs = init.timeoutMs ?? 5000;
  const signer = createMessageSigner(init.identity);
  const transport = createSocketTransport({ identity: init.identity, insecure: init.insecure ?? false, logger });
  const counters = { bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0 };
  const emitter = new EventEmitter();
  const reports = new Map<string, (r: p2p.v1.IDeliveryReport) => void>();
  // Page requests in flight, oldest first; an answer goes to the oldest one with the cursor it echoes.
  const whoWaiters: { after: string; answer: (list: p2p.v1.IOnlineList) => void }[] = [];
  let session: Session | undefined;
  let server: HostPort | undefined;
  let registered: string | undefined;
  let closing = false;
  let next = 0;
  let pinger: NodeJS.Timeout | undefined;
  const verifyLine = createLineVerifier();
  // Lines written in one turn of the event loop (a paste, a script) leave when the turn ends, as one CliqueLines per
  // recipient under one signature: its servers and its recipient handle one frame and one signature check for all of
  // them, and a line typed alone waits for nothing. Within the budget the server gave at registration: lines past
  // it wait here, in order, until it refills (or their deadline passes), rather than get the client cut off.
  let burst: BurstLine[] = [];
  let budget: TokenBucket | undefined;
  let pacer: NodeJS.Timeout | undefined;
  // Registered on the session in use: false while a reconnect registers again (lines written meanwhile wait).
  let ready = false;
  // The server stated no budget: an older one, which routes single lines (CliqueMessage) only.
  let legacy = false;
  const retryIn = (ms: number) => {
    if (!pacer) pacer = setTimeout(() => { pacer = undefined; flushBurst(); }, ms);
  };
  const flushBurst = () => {
    const now = performance.now();
    for (const l of burst) if (l.deadline <= now) settle(l, TIMED_OUT);
    burst = burst.filter((l) => !l.done);
    if (burst.length === 0) return;
    const s = session;
    if (!ready || !s || s.state !== 'open' || registered === undefined) {
      if (closing || init.reconnect === false) {
        for (const l of burst) settle(l, TIMED_OUT);
        burst = [];
      } else retryIn(100);
      return;
    }
    const n = budget ? Math.min(burst.length, Math.max(0, Math.floor(budget.available()))) : burst.length;
    budget?.take(n);
    const lines = burst.splice(0, n);
    if (burst.length > 0) retryIn(Math.max(5, budget?.msUntil() ?? 0));
    for (const group of legacy ? lines.map((l) => [l]) : splitBursts(lines)) sendGroup(s, registered, group);
  };
  const sendGroup = (s: Session, from: string, group: BurstLine[]) => {
    const id = newMessageId();
    const hex = toHex(id);
    // One report settles every line of the burst, and one timer the lines whose deadline passes first (a timer
    // per burst, not per line: a paste of thousands of lines would otherwise arm thousands of timers).
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      let first = Infinity;
      for (const l of group) if (!l.done && l.deadline < first) first = l.deadline;
      if (first === Infinity) return void reports.delete(hex);
      timer = setTimeout(() => {
        const now = performance.now();
        for (const l of group) if (l.deadline <= now) settle(l, TIMED_OUT);
        arm();
      }, Math.max(0, first - performance.now()) + 1);
    };
    reports.set(hex, (r) => {
      clearTimeout(timer);
      reports.delete(hex);
      for (const l of group) settle(l, r);
    });
    arm();
    const first = group[0]!;
    const wire: p2p.v1.IClique = legacy
      ? { message: signLine(signer, { messageId: id, from, to: first.to, chat: { text: first.line.text, fromName: from, sentAtMs: first.line.sentAtMs } }) }
      : { lines: signBurst(signer, { batchId: id, from, to: first.to, lines: group.map((l) => l.line) }) };
    if (!s.send({ clique: wire })) reports.get(hex)?.(TIMED_OUT);
  };

  const onEnvelope = (env: DecodedEnvelope) => {
    const m = env.clique;
    if (!m) return;
    if (m.lines) {
      // Bounded like a server bounds it (a hostile server could pack a frame with empty lines), then proven.
      const author = burstLineCount(m.lines, MAX_CHAT_TEXT_BYTES) !== undefined ? verifyBurst(m.lines) : undefined;
      const lines = author ? decodeBurstBody(m.lines.body ?? new Uint8Array()) : undefined;
      if (!lines) return void logger.warn({ from: m.lines.from }, 'clique: dropped lines without a valid signature or body');
      const receivedAtMs = Date.now();
      for (const l of lines) {
        emitter.emit('line', {
          from: m.lines.from ?? '', to: m.lines.to ?? '', text: l.text ?? '', sentAtMs: Number(l.sentAtMs ?? 0), receivedAtMs, authorId: author!,
        } satisfies CliqueLine);
      }
    } else if (m.message) {
      const author = verifyLine(m.message);
      // A line that does not prove its author is not shown as theirs: it is dropped.
      if (!author) return void logger.warn({ from: m.message.from }, 'clique: dropped a line without a valid signature');
      emitter.emit('line', {
        from: m.message.from ?? '', to: m.message.to ?? '', text: m.message.chat?.text ?? '',
        sentAtMs: Number(m.message.chat?.sentAtMs ?? 0), receivedAtMs: Date.now(), authorId: author,
      } satisfies CliqueLine);
    } else if (m.deliveryReport) {
      const id = toHex(m.deliveryReport.messageId ?? new Uint8Array());
      reports.get(id)?.(m.deliveryReport);
    } else if (m.onlineList) {
      const i = whoWaiters.findIndex((w) => w.after === (m.onlineList!.after ?? ''));
      if (i >= 0) whoWaiters.splice(i, 1)[0]!.answer(m.onlineList);
    } else if (m.clientJoined?.client) emitter.emit('joined', entryOf(m.clientJoined.client));
    else if (m.clientLeft) emitter.emit('left', { name: m.clientLeft.name ?? '', reason: m.clientLeft.reason ?? '' });
    else if (m.clientRegistered || m.nameTaken) {
      if (regWaiter) regWaiter(m);
      else if (m.nameTaken && registered !== undefined) {
        // Said after registration: a split clique healed and an older claim of the name won.
        registered = undefined;
        emitter.emit('refused', new CliqueNameTakenError(m.nameTaken.name ?? '', m.nameTaken.reason ?? '', m.nameTaken.detail ?? ''));
      }
    }
  };
  let regWaiter: ((m: p2p.v1.IClique) => void) | undefined;

  /** One attempt on one server: session, then the name. */
  async function attempt(address: HostPort): Promise<{ online: number }> {
    const conn = await transport.dial(address, { timeoutMs });
    let opened!: () => void;
    let failed!: (e: Error) => void;
    const open = new Promise<void>((res, rej) => { opened = res; failed = rej; });
    const s = new Session(conn, {
      localHello: () => ({ protocolVersion: PROTOCOL_VERSION, peerId: peerIdFromString(init.identity.peerId), name: init.name ?? '', role: v1.Role.ROLE_PEER, instanceId: randomBytes(16), agent: 'p2p-clique-client' }),
      onOpen: () => opened(),
      onEnvelope: (_s, env) => onEnvelope(env),
      onClose: (_s, reason) => { failed(new CliqueUnreachableError(reason)); lost(s, reason); },
    }, counters, { handshakeTimeoutMs: timeoutMs });
    await open;
    session = s;
    server = address;
    if (init.name === undefined) return { online: 0 };
    const answer = await new Promise<p2p.v1.IClique>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CliqueUnreachableError('no answer to the registration')), timeoutMs + 1000);
      regWaiter = (m) => { clearTimeout(timer); regWaiter = undefined; resolve(m); };
      s.closed().then(() => { clearTimeout(timer); reject(new CliqueUnreachableError(s.closeReason ?? 'closed')); });
      s.send({ clique: { clientRegister: { name: init.name } } });
    });
    if (answer.nameTaken) {
      session = undefined;
      s.close(v1.GoodbyeReason.GOODBYE_REASON_SHUTDOWN, 'name refused');
      throw new CliqueNameTakenError(answer.nameTaken.name ?? init.name, answer.nameTaken.reason ?? '', answer.nameTaken.detail ?? '');
    }
    registered = answer.clientRegistered!.name ?? init.name;
    // Kept a little under the server's budget (clocks differ, and a line may wait in the network).
    const { linesPerSecond: rate, lineBurst: most } = answer.clientRegistered!;
    budget = rate && most ? new TokenBucket(rate * 0.95, Math.max(1, most - 1)) : undefined;
    legacy = !rate;
    return { online: answer.clientRegistered!.online ?? 0 };
  }

  /** Tries every server once, starting with the next in turn. */
  async function connectAny(): Promise<{ server: HostPort; online: number }> {
    const errors: string[] = [];
    for (let i = 0; i < init.servers.length; i++) {
      const address = init.servers[(next + i) % init.servers.length]!;
      try {
        const r = await attempt(address);
        next = (next + i) % init.servers.length;
        startPinger();
        ready = registered !== undefined;
        emitter.emit('registered', { server: address, name: registered ?? '', online: r.online });
        // Lines written while the client (re)registered leave now.
        flushBurst();
        return { server: address, online: r.online };
      } catch (err) {
        if (err instanceof CliqueNameTakenError) throw err;
        errors.push(`${address.host}:${address.port}: ${(err as Error).message}`);
      }
    }
    throw new CliqueUnreachableError(errors.join('; ') || 'no server given');
  }

  function startPinger() {
    clearInterval(pinger);
    pinger = setInterval(() => {
      const s = session;
      if (!s || s.state !== 'open') return;
      // Generous: a server busy with a backlog answers late but is not dead (a dead one closes the socket).
      if (performance.now() - s.lastReceivedAt > SILENT_MS) s.destroy('server silent');
      else if (performance.now() - s.lastReceivedAt > PING_AFTER_MS) s.sendPing();
    }, 1000);
    pinger.unref();
  }

  function lost(s: Session, reason: string) {
    if (session !== s) return;
    session = undefined;
    ready = false;
    const was = server!;
    for (const [, f] of reports) f(TIMED_OUT);
    if (closing || init.reconnect === false) return;
    emitter.emit('disconnected', { server: was, reason });
    next = (next + 1) % init.servers.length;
    void (async () => {
      // Keep trying: the other servers may need the liveness time to free this client's name.
      for (let delay = 200; !closing; delay = Math.min(delay * 2, 3000)) {
        try {
          await connectAny();
          return;
        } catch (err) {
          // "busy" (the clique could not agree in time, or a link broke meanwhile) passes: try again.
          if (err instanceof CliqueNameTakenError && err.reason !== 'busy') return void emitter.emit('refused', err);
          logger.debug({ err: (err as Error).message }, 'clique: reconnect failed');
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    })();
  }

  const client: CliqueClient = {
    get server() { return session ? server : undefined; },
    connect: () => connectAny(),
    send(to, text, options) {
      if (!session || registered === undefined) return Promise.reject(new CliqueNotRegisteredError());
      return new Promise<CliqueSendResult>((resolve) => {
        burst.push({ to: to === EVERYONE ? EVERYONE : to, line: { text, sentAtMs: Date.now() }, deadline: performance.now() + (options?.timeoutMs ?? 10_000), done: false, resolve });
        if (burst.length === 1 && !pacer) queueMicrotask(flushBurst);
      });
    },
    who(options) {
      const s = session;
      if (!s) return Promise.reject(new CliqueNotRegisteredError());
      const ask = (after: string) => new Promise<p2p.v1.IOnlineList>((resolve, reject) => {
        const w = { after, answer: (list: p2p.v1.IOnlineList) => { clearTimeout(timer); resolve(list); } };
        const timer = setTimeout(() => {
          const i = whoWaiters.indexOf(w);
          if (i >= 0) whoWaiters.splice(i, 1);
          reject(new CliqueUnreachableError('no answer to who'));
        }, options?.timeoutMs ?? timeoutMs);
        whoWaiters.push(w);
        // A page costs a token of the server's budget like a line: lines written meanwhile wait for it.
        budget?.spend(1);
        s.send({ clique: { whoIsOnline: { after } } });
      });
      return gatherOnline(ask, options?.maxNames ?? DEFAULT_WHO_MAX_NAMES).then((list) => list.map(entryOf));
    },
    on(event, listener) {
      emitter.on(event, listener as (...a: unknown[]) => void);
      return client;
    },
    async close() {
      closing = true;
      clearInterval(pinger);
      clearTimeout(pacer);
      pacer = undefined;
      for (const l of burst) settle(l, TIMED_OUT);
      burst = [];
      // Lines sent and not yet reported end now: no report comes after Goodbye, and their timers would keep the
      // process alive until their deadlines.
      for (const [, f] of reports) f(TIMED_OUT);
      const s = session;
      session = undefined;
      if (s) {
        s.close(v1.GoodbyeReason.GOODBYE_REASON_SHUTDOWN, 'quit');
        await Promise.race([s.closed(), new Promise((r) => setTimeout(r, 1000).unref())]);
      }
      await transport.close();
    },
  };
  return client;
}
