import { describe, expect, it } from 'vitest';
import { v1 } from '../codec/wire.js';
import { peerIdFromString } from '../identity/peer-id.js';
import { cliqueSim, idStartingWith } from '../../test/clique-sim.js';

const Status = v1.CliqueDeliveryStatus;

/** Three servers; b and c only know a, so they learn each other from a's roster. */
function threeServers(opts: Parameters<typeof cliqueSim>[0] = {}) {
  const sim = cliqueSim(opts);
  for (const s of ['a', 'b', 'c']) sim.addServer(s);
  sim.connect('b', 'a');
  sim.connect('c', 'a');
  sim.run(50);
  return sim;
}

function registered(sim: ReturnType<typeof cliqueSim>, label: string): string | undefined {
  return sim.clients.get(label)!.inbox.find((m) => m.clientRegistered)?.clientRegistered?.name ?? undefined;
}
function refusals(sim: ReturnType<typeof cliqueSim>, label: string) {
  return sim.clients.get(label)!.inbox.filter((m) => m.nameTaken).map((m) => m.nameTaken!);
}

describe('clique engine', () => {
  it('servers learn each other from rosters and keep a full mesh', () => {
    const sim = threeServers();
    for (const s of ['a', 'b', 'c']) expect(sim.engines.get(s)!.members().map((m) => m.name).sort()).toEqual(['a', 'b', 'c'].filter((x) => x !== s));
  });

  it('heals a membership that only one side dropped (a duplicate session closed on that side only)', () => {
    const sim = cliqueSim();
    for (const s of ['a', 'b']) sim.addServer(s);
    sim.connect('b', 'a');
    sim.run(50);
    // b saw its session with a close and another open; a kept its own all along and saw nothing.
    sim.engines.get('b')!.serverDown(sim.infos.get('a')!.peerId);
    sim.engines.get('b')!.serverUp(sim.infos.get('a')!);
    sim.run(100);
    expect(sim.engines.get('b')!.members()).toEqual([]);
    // a's next roster (or claim) is taken as its join.
    sim.run(11_000);
    for (const [s, other] of [['a', 'b'], ['b', 'a']] as const) expect(sim.engines.get(s)!.members().map((m) => m.name)).toEqual([other]);
    sim.attach('bob', 'b');
    sim.register('bob', 'bob');
    sim.attach('alice', 'a');
    sim.register('alice', 'alice');
    sim.run(50);
    expect([registered(sim, 'bob'), registered(sim, 'alice')]).toEqual(['bob', 'alice']);
    const id = sim.line('bob', 'bob', 'alice', 'across');
    sim.run(50);
    expect(sim.report('bob', id)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_DELIVERED);
    expect(sim.texts('alice')).toEqual(['across']);
  });

  it('routes direct and * lines across servers exactly once, with delivery reports', () => {
    const sim = threeServers();
    const where = { alice: 'a', bob: 'b', carol: 'c', dave: 'a' };
    for (const [n, s] of Object.entries(where)) { sim.attach(n, s); sim.register(n, n); }
    sim.run(50);
    for (const n of Object.keys(where)) expect(registered(sim, n)).toBe(n);
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual(where);

    const ids = [sim.line('alice', 'alice', 'bob', 'a->b'), sim.line('bob', 'bob', 'carol', 'b->c'), sim.line('carol', 'carol', 'dave', 'c->d'), sim.line('dave', 'dave', 'alice', 'd->a')];
    const all = sim.line('carol', 'carol', '*', 'hello all');
    sim.run(50);
    expect(sim.texts('alice')).toEqual(['d->a', 'hello all']);
    expect(sim.texts('bob')).toEqual(['a->b', 'hello all']);
    expect(sim.texts('carol')).toEqual(['b->c']);
    expect(sim.texts('dave')).toEqual(['c->d', 'hello all']);
    const senders = ['alice', 'bob', 'carol', 'dave'];
    ids.forEach((id, i) => expect(sim.report(senders[i]!, id)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_DELIVERED));
    expect(sim.report('carol', all)).toMatchObject({ status: Status.CLIQUE_DELIVERY_STATUS_DELIVERED, delivered: 3 });

    // A line signed under a look-alike spelling of the sender's own name (same key) is refused: names show as held.
    const spoof = sim.line('bob', 'B0B', 'alice', 'lookalike');
    sim.run(50);
    expect(sim.report('bob', spoof)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_REFUSED);
    expect(sim.texts('alice')).not.toContain('lookalike');

    const missing = sim.line('alice', 'alice', 'nobody', 'hi?');
    sim.run(50);
    expect(sim.report('alice', missing)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_NO_SUCH_CLIENT);
  });

  it('refuses a taken name after NFKC and case folding, and invalid names', () => {
    const sim = threeServers();
    sim.attach('x', 'a');
    sim.register('x', 'Straße');
    sim.run(50);
    for (const [label, server, name] of [['y', 'b', 'STRASSE'], ['z', 'c', 'ｓｔｒａｓｓｅ']] as const) {
      sim.attach(label, server);
      sim.register(label, name);
    }
    sim.run(50);
    expect(refusals(sim, 'y')).toMatchObject([{ reason: 'taken' }]);
    expect(refusals(sim, 'z')).toMatchObject([{ reason: 'taken' }]);
    sim.attach('w', 'b');
    for (const bad of ['', 'a b', 'zero\u200bwidth', 'bell\u0007', '*', '/who', 'x'.repeat(33)]) sim.register('w', bad);
    sim.run(50);
    expect(refusals(sim, 'w').map((r) => r.reason)).toEqual(Array(7).fill('invalid'));
  });

  it('refuses a name that looks like a held one, naming the collision, on every server', () => {
    const sim = threeServers();
    sim.attach('x', 'a');
    sim.register('x', 'alice');
    sim.run(50);
    for (const [label, server, name] of [['y', 'b', '\u0430lice'], ['z', 'c', 'AL\u0406CE'], ['w', 'a', 'аlісе']] as const) {
      sim.attach(label, server);
      sim.register(label, name);
    }
    sim.run(50);
    for (const label of ['y', 'z', 'w']) {
      expect(refusals(sim, label)).toMatchObject([{ reason: 'taken', detail: expect.stringMatching(/^looks like 'alice' \(held by a client of a\)$/) }]);
    }
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ alice: 'a' });
  });

  it('settles simultaneous claims of two look-alike names like claims of one name', () => {
    const sim = threeServers();
    sim.latency('a', 'b', 5);
    sim.latency('b', 'a', 5);
    sim.attach('p', 'a');
    sim.attach('q', 'b');
    sim.register('p', 'alice');
    sim.register('q', '\u0430lice');
    sim.run(100);
    expect(registered(sim, 'p')).toBe('alice');
    expect(refusals(sim, 'q')).toHaveLength(1);
    for (const s of ['a', 'b', 'c']) expect(Object.entries(sim.view(s))).toEqual([['alice', 'a']]);
  });

  it('settles two simultaneous claims of one name on two servers the same way everywhere', () => {
    for (const [first, second] of [['a', 'b'], ['b', 'a']] as const) {
      const sim = threeServers();
      sim.latency('a', 'b', 5);
      sim.latency('b', 'a', 5);
      sim.attach('p', first);
      sim.attach('q', second);
      sim.register('p', 'dave');
      sim.register('q', 'Dave'); // same virtual millisecond, on another server
      sim.run(100);
      // Same time: the smaller server ID wins, whichever asked first (a's ID starts with 0x10, b's with 0x20).
      const winner = first === 'a' ? 'p' : 'q';
      const loser = winner === 'p' ? 'q' : 'p';
      expect(registered(sim, winner)).toBe(winner === 'p' ? 'dave' : 'Dave');
      expect(registered(sim, loser)).toBeUndefined();
      expect(refusals(sim, loser)).toHaveLength(1);
      expect(['lost', 'taken']).toContain(refusals(sim, loser)[0]!.reason);
      for (const s of ['a', 'b', 'c']) expect(Object.values(sim.view(s))).toEqual(['a']);
    }
  });

  it('lets the earlier claim win even when it reaches the third server last', () => {
    const sim = threeServers();
    sim.latency('a', 'c', 20);
    sim.attach('p', 'a');
    sim.attach('q', 'b');
    sim.register('p', 'eve');
    sim.run(1);
    sim.register('q', 'eve');
    sim.run(100);
    expect(registered(sim, 'p')).toBe('eve');
    expect(refusals(sim, 'q')).toHaveLength(1);
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ eve: 'a' });
  });

  it('frees a dead server\'s names everywhere and lets its clients take them back elsewhere', () => {
    const sim = threeServers();
    sim.attach('carol', 'c');
    sim.register('carol', 'carol');
    sim.attach('alice', 'a');
    sim.register('alice', 'alice');
    sim.run(50);
    sim.kill('c');
    sim.run(3000);
    for (const s of ['a', 'b']) expect(sim.view(s)).toEqual({ alice: 'a' });
    expect(sim.clients.get('alice')!.inbox.some((m) => m.clientLeft?.name === 'carol' && m.clientLeft.reason === 'server-lost')).toBe(true);
    sim.attach('carol', 'b');
    sim.register('carol', 'carol');
    sim.run(50);
    expect(sim.view('a')).toEqual({ alice: 'a', carol: 'b' });
  });

  it('lets a client take its own name to another server before its old server is declared dead', () => {
    const sim = threeServers();
    sim.attach('carol', 'c');
    sim.register('carol', 'carol');
    sim.run(50);
    sim.kill('c');
    sim.run(10); // not yet declared dead anywhere
    sim.attach('carol', 'a');
    sim.register('carol', 'carol');
    sim.run(10);
    expect(sim.clients.get('carol')!.inbox.filter((m) => m.clientRegistered)).toHaveLength(2);
    sim.run(3000);
    for (const s of ['a', 'b']) expect(sim.view(s)).toEqual({ carol: 'a' });
  });

  it('adds a new server everywhere, and a dead one rejoins by itself when it comes back', () => {
    const sim = threeServers();
    sim.addServer('d');
    sim.connect('d', 'b');
    sim.run(50);
    for (const s of ['a', 'b', 'c', 'd']) expect(sim.engines.get(s)!.members()).toHaveLength(3);
    sim.attach('dan', 'd');
    sim.register('dan', 'dan');
    sim.attach('alice', 'a');
    sim.register('alice', 'alice');
    sim.run(50);
    const id = sim.line('dan', 'dan', 'alice', 'from d');
    sim.run(50);
    expect(sim.texts('alice')).toEqual(['from d']);
    expect(sim.report('dan', id)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_DELIVERED);

    const cInfo = sim.infos.get('c')!;
    sim.kill('c');
    sim.run(3000);
    expect(sim.engines.get('a')!.members()).toHaveLength(2);
    sim.addServer('c', { id: cInfo.peerId }); // restarted with no configuration: the others redial it
    sim.run(3000);
    for (const s of ['a', 'b', 'c', 'd']) expect(sim.engines.get(s)!.members()).toHaveLength(3);
  });

  it('refuses servers that are not on the allow list: they join nowhere and claim nothing', () => {
    const [a, b, rogue] = [idStartingWith(0x10), idStartingWith(0x20), idStartingWith(0x01)];
    const s2 = cliqueSim();
    s2.addServer('a', { id: a, allow: [b] });
    s2.addServer('b', { id: b, allow: [a] });
    s2.addServer('rogue', { id: rogue });
    s2.connect('a', 'b');
    s2.connect('rogue', 'a');
    s2.run(50);
    expect(s2.engines.get('a')!.members().map((m) => m.name)).toEqual(['b']);
    expect(s2.refused).toContainEqual(expect.objectContaining({ by: 'a', server: 'rogue' }));
    s2.attach('r', 'rogue');
    s2.register('r', 'alice');
    s2.run(50);
    expect(s2.view('a')).toEqual({});
  });

  it('cuts a flooding client off without touching anyone else, and refuses forged or oversized lines', () => {
    const sim = threeServers({ limits: { linesPerSecond: 10, lineBurst: 20, maxLineBytes: 100 } });
    for (const [n, s] of [['flood', 'a'], ['alice', 'a'], ['bob', 'b']] as const) { sim.attach(n, s); sim.register(n, n); }
    sim.run(50);
    for (let i = 0; i < 25 && sim.clients.get('flood')!.server; i++) sim.line('flood', 'flood', 'bob', `spam ${i}`);
    const ok = sim.line('alice', 'alice', 'bob', 'hi bob');
    sim.run(50);
    expect(sim.clients.get('flood')!.dropped[0]).toMatch(/flooding/);
    expect(sim.texts('bob')).toContain('hi bob');
    // The burst of 20, less the token the flooder's name claim took (every request costs one).
    expect(sim.texts('bob').filter((t) => t.startsWith('spam')).length).toBe(19);
    expect(sim.report('alice', ok)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_DELIVERED);
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ alice: 'a', bob: 'b' });

    const forged = sim.line('alice', 'bob', 'bob', 'pretending');
    const unsigned = sim.line('alice', 'alice', 'bob', 'no sig', '');
    const long = sim.line('alice', 'alice', 'bob', 'x'.repeat(101));
    sim.run(50);
    for (const id of [forged, unsigned, long]) expect(sim.report('alice', id)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_REFUSED);
    expect(sim.texts('bob')).not.toContain('pretending');
    expect(sim.clients.get('alice')!.dropped).toEqual([]);

    // A signature that does not verify: the line was handed on (the recipient checks it again and drops it), and
    // the check right after cuts its sender off, freeing the name everywhere.
    sim.line('alice', 'alice', 'bob', 'badly signed', 'bad');
    sim.run(50);
    expect(sim.clients.get('alice')!.dropped[0]).toMatch(/bad signature/);
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ bob: 'b' });

    // Coming straight back would bring a full budget again: a cut-off client waits out its penalty (30 s).
    expect(() => sim.attach('flood', 'a')).toThrow(/cut off .* wait 30 s/);
    sim.run(30_000);
    sim.attach('flood', 'a');
    sim.register('flood', 'flood');
    sim.run(50);
    expect(sim.view('b')).toEqual({ bob: 'b', flood: 'a' });
  });

  it('refuses clients beyond the per-server cap', () => {
    const sim = cliqueSim({ limits: { maxClients: 2 } });
    sim.addServer('a');
    sim.attach('one', 'a');
    sim.attach('two', 'a');
    expect(() => sim.attach('three', 'a')).toThrow(/full/);
  });
  it('agrees on one holder per name under random latencies and simultaneous claims on every server', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 30; round++) {
      const sim = threeServers();
      for (const x of ['a', 'b', 'c']) for (const y of ['a', 'b', 'c']) if (x !== y) sim.latency(x, y, 1 + Math.floor(rand() * 20));
      const labels: string[] = [];
      for (let i = 0; i < 6; i++) {
        const label = `k${i}`;
        labels.push(label);
        sim.attach(label, ['a', 'b', 'c'][i % 3]!);
      }
      for (const l of labels) { if (rand() < 0.5) sim.run(Math.floor(rand() * 3)); sim.register(l, rand() < 0.5 ? 'Zed' : 'zed'); }
      sim.run(200);
      const winners = labels.filter((l) => registered(sim, l));
      expect(winners).toHaveLength(1);
      for (const l of labels) if (l !== winners[0]) expect(refusals(sim, l)).toHaveLength(1);
      const views = ['a', 'b', 'c'].map((x) => JSON.stringify(sim.view(x)));
      expect(new Set(views).size).toBe(1);
    }
  });

  it('tells the sender a recipient that does not read is busy, not gone, on its own server and across the clique', () => {
    const sim = threeServers();
    for (const [n, s] of [['alice', 'a'], ['bob', 'b'], ['carol', 'a']] as const) { sim.attach(n, s); sim.register(n, n); }
    sim.run(50);
    sim.clients.get('bob')!.stuck = true;
    sim.clients.get('carol')!.stuck = true;
    const toBob = sim.line('alice', 'alice', 'bob', 'hello?');
    const toCarol = sim.line('alice', 'alice', 'carol', 'hello?');
    const toNobody = sim.line('alice', 'alice', 'dave', 'hello?');
    sim.run(50);
    expect(sim.report('alice', toBob)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_RECIPIENT_BUSY);
    expect(sim.report('alice', toCarol)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_RECIPIENT_BUSY);
    expect(sim.report('alice', toNobody)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_NO_SUCH_CLIENT);
  });

  it('checks a new client\'s first line before handing it on, bounds every proof field, and penalises a sender that hung up', () => {
    const sim = threeServers();
    for (const [n, s] of [['mal', 'a'], ['bob', 'a'], ['carol', 'b'], ['eve', 'a']] as const) { sim.attach(n, s); sim.register(n, n); }
    sim.run(50);
    // A first line with a bad signature goes nowhere: refused, and its sender cut off at once.
    sim.line('mal', 'mal', '*', 'spam', 'bad');
    sim.run(50);
    expect(sim.texts('bob')).not.toContain('spam');
    expect(sim.texts('carol')).not.toContain('spam');
    expect(sim.clients.get('mal')!.dropped[0]).toMatch(/bad signature/);

    // Proof fields larger than any honest line are refused before anything is sent on, from a proven client too.
    sim.line('eve', 'eve', 'bob', 'hello');
    sim.run(50);
    expect(sim.texts('bob')).toContain('hello');
    const eve = sim.clients.get('eve')!;
    for (const [i, extra] of [{ authorKey: Buffer.alloc(900_000) }, { signature: Buffer.alloc(4096) }, { batchSize: 3, batchPath: [Buffer.alloc(31)] },
      { batchSize: 1 << 20 }, { batchSize: 3, batchPath: Array.from({ length: 17 }, () => Buffer.alloc(32)) }].entries()) {
      sim.raw('eve', { message: {
        messageId: Buffer.alloc(16, i + 1), from: 'eve', to: '*', chat: { text: `big ${i}`, fromName: 'eve', sentAtMs: 1 },
        authorId: Buffer.from(peerIdFromString(eve.id)), signature: Buffer.from('ok'), ...extra,
      } });
    }
    sim.run(50);
    for (const who of ['bob', 'carol']) expect(sim.texts(who).filter((t) => t.startsWith('big'))).toEqual([]);

    // The shown name travels as the signed `from`, whatever the sender put beside it.
    sim.raw('eve', { message: {
      messageId: Buffer.alloc(16, 99), from: 'eve', to: 'carol', chat: { text: 'named', fromName: 'the admin', sentAtMs: 1 },
      authorId: Buffer.from(peerIdFromString(eve.id)), signature: Buffer.from('ok'),
    } });
    sim.run(50);
    const named = sim.clients.get('carol')!.inbox.find((m) => m.message?.chat?.text === 'named');
    expect(named?.message?.chat?.fromName).toBe('eve');

    // A proven client's bad line is checked after it went on; if the client has hung up by then, it is still
    // penalised and cannot come straight back.
    sim.line('eve', 'eve', 'bob', 'badly signed', 'bad');
    sim.detach('eve');
    sim.run(50);
    expect(() => sim.attach('eve', 'a')).toThrow(/wait 30 s/);
  });

  it('routes a burst (CliqueLines) as one: once per recipient across servers, one report, refused whole when out of bounds', () => {
    const sim = threeServers({ limits: { linesPerSecond: 10, lineBurst: 20, maxLineBytes: 100 } });
    const where = { alice: 'a', bob: 'b', carol: 'c', dave: 'a' };
    for (const [n, s] of Object.entries(where)) { sim.attach(n, s); sim.register(n, n); }
    sim.run(50);
    // Registration tells each client its budget, so that it can pace what it writes.
    expect(sim.clients.get('alice')!.inbox.find((m) => m.clientRegistered)?.clientRegistered).toMatchObject({ linesPerSecond: 10, lineBurst: 19 });
    const direct = sim.burst('alice', 'alice', 'bob', ['one', 'two', 'three']);
    const local = sim.burst('alice', 'alice', 'dave', ['four']);
    const all = sim.burst('carol', 'carol', '*', ['to all 1', 'to all 2']);
    sim.run(50);
    expect(sim.texts('bob')).toEqual(['one', 'two', 'three', 'to all 1', 'to all 2']);
    expect(sim.texts('dave')).toEqual(['four', 'to all 1', 'to all 2']);
    expect(sim.texts('alice')).toEqual(['to all 1', 'to all 2']);
    expect(sim.texts('carol')).toEqual([]);
    // One frame per burst and recipient, one report per burst.
    expect(sim.clients.get('bob')!.inbox.filter((m) => m.lines).length).toBe(2);
    expect(sim.report('alice', direct)).toMatchObject({ status: Status.CLIQUE_DELIVERY_STATUS_DELIVERED, delivered: 1 });
    expect(sim.report('alice', local)).toMatchObject({ status: Status.CLIQUE_DELIVERY_STATUS_DELIVERED, delivered: 1 });
    expect(sim.report('carol', all)).toMatchObject({ status: Status.CLIQUE_DELIVERY_STATUS_DELIVERED, delivered: 3 });

    // The same batch ID again is a duplicate: dropped, not shown twice.
    sim.burst('alice', 'alice', 'bob', ['one', 'two', 'three'], 'ok', direct);
    sim.run(50);
    expect(sim.texts('bob').filter((t) => t === 'one')).toEqual(['one']);

    // Refused whole: one line too long, no lines, a look-alike of the sender's name, a key that is not the sender's.
    const refused = [
      sim.burst('alice', 'alice', 'bob', ['fine', 'x'.repeat(101)]),
      sim.burst('alice', 'alice', 'bob', []),
      sim.burst('alice', 'ALICE', 'bob', ['shouting']),
      sim.burst('dave', 'alice', 'bob', ['not dave\'s name']),
    ];
    sim.run(50);
    for (const id of refused) expect(sim.report(refused.indexOf(id) === 3 ? 'dave' : 'alice', id)?.status).toBe(Status.CLIQUE_DELIVERY_STATUS_REFUSED);
    expect(sim.texts('bob')).not.toContain('fine');
    expect(sim.texts('bob')).not.toContain('shouting');

    // A burst pays a token per line: 15 lines pass (bob's bucket held 19 after registering), 10 more do not, and
    // cut their sender off.
    sim.burst('bob', 'bob', 'alice', Array.from({ length: 15 }, (_, i) => `fits ${i}`));
    sim.burst('bob', 'bob', 'alice', Array.from({ length: 10 }, (_, i) => `flood ${i}`));
    sim.run(50);
    expect(sim.texts('alice').filter((t) => t.startsWith('fits')).length).toBe(15);
    expect(sim.clients.get('bob')!.dropped[0]).toMatch(/flooding/);
    expect(sim.texts('alice').some((t) => t.startsWith('flood'))).toBe(false);

    // A proven client's badly signed burst goes on (its recipient checks it again), then cuts its sender off.
    sim.burst('carol', 'carol', 'dave', ['badly signed'], 'bad');
    sim.run(50);
    expect(sim.texts('dave')).toContain('badly signed');
    expect(sim.clients.get('carol')!.dropped[0]).toMatch(/bad signature/);
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ alice: 'a', dave: 'a' });
  });
});
