import { describe, expect, it } from 'vitest';
import { cliqueSim } from '../../test/clique-sim.js';

type Sim = ReturnType<typeof cliqueSim>;

/** a, b and c in a full mesh (b and c learn each other from a's roster). */
function mesh(): Sim {
  const sim = cliqueSim();
  for (const s of ['a', 'b', 'c']) sim.addServer(s);
  sim.connect('b', 'a');
  sim.connect('c', 'a');
  sim.run(50);
  return sim;
}

const registered = (sim: Sim, label: string) => sim.clients.get(label)!.inbox.some((m) => m.clientRegistered);
const refusals = (sim: Sim, label: string) => sim.clients.get(label)!.inbox.filter((m) => m.nameTaken).map((m) => m.nameTaken!);
const members = (sim: Sim, s: string) => sim.engines.get(s)!.members().map((m) => m.name).sort();

/** Cuts a-b and waits until both declared the other dead and c's rosters said so. */
function cutAB(sim: Sim) {
  sim.cut('a', 'b');
  sim.run(3000);
  expect(members(sim, 'a')).toEqual(['c']);
  expect(members(sim, 'b')).toEqual(['c']);
  expect(members(sim, 'c')).toEqual(['a', 'b']);
}

describe('clique partitions: a and b both connected to c, not to each other', () => {
  it('a cut link is redialled until it heals; the mesh and the views become whole again', () => {
    const sim = mesh();
    sim.attach('p', 'a');
    sim.register('p', 'pat');
    sim.run(20);
    cutAB(sim);
    expect(sim.view('b')).toEqual({}); // a's names are freed at b with the link (its clients cannot be reached)
    sim.attach('q', 'b');
    sim.register('q', 'quinn');
    sim.run(30_000);
    expect(members(sim, 'a')).toEqual(['c']); // still cut: redials fail
    sim.heal('a', 'b');
    sim.run(3000);
    for (const s of ['a', 'b', 'c']) expect(members(sim, s)).toHaveLength(2);
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ pat: 'a', quinn: 'b' });
  });

  it('refuses on b a name held on a, through c, while the link is down', () => {
    const sim = mesh();
    sim.attach('p', 'a');
    sim.register('p', 'alice');
    sim.run(20);
    cutAB(sim);
    sim.attach('q', 'b');
    sim.register('q', 'ALICE');
    sim.run(50);
    expect(registered(sim, 'q')).toBe(false);
    expect(refusals(sim, 'q')).toMatchObject([{ reason: 'taken' }]);
    sim.heal('a', 'b');
    sim.run(3000);
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ alice: 'a' });
  });

  it('never grants one name to both sides: c keeps the first claim it granted, even when the later one is older', () => {
    // b claims first by the clock, but its claim reaches c last: in a full mesh the older claim would win, but a
    // never sees b's claim, so c must not hand the name to b after granting it to a.
    for (const [slow, fast] of [['b', 'a'], ['a', 'b']] as const) {
      const sim = mesh();
      cutAB(sim);
      sim.latency(slow, 'c', 30);
      sim.latency('c', fast, 60); // c's grant to the fast side is slow: its claim is still pending when the other arrives
      sim.attach('s', slow);
      sim.attach('f', fast);
      sim.register('s', 'zed');
      sim.run(1);
      sim.register('f', 'Zed');
      sim.run(200);
      expect(registered(sim, 'f')).toBe(true);
      expect(registered(sim, 's')).toBe(false);
      expect(refusals(sim, 's')).toHaveLength(1);
      expect(sim.view('c')).toEqual({ Zed: fast });
      sim.heal('a', 'b');
      sim.run(3000);
      for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ Zed: fast });
      expect(refusals(sim, 'f')).toHaveLength(0);
    }
  });

  it('under random latencies and claims on every side, at most one holder per name, the same everywhere once healed', () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 25; round++) {
      const sim = mesh();
      cutAB(sim);
      for (const x of ['a', 'b', 'c']) for (const y of ['a', 'b', 'c']) if (x !== y) sim.latency(x, y, 1 + Math.floor(rand() * 25));
      const labels = Array.from({ length: 6 }, (_, i) => `k${i}`);
      labels.forEach((l, i) => sim.attach(l, ['a', 'b', 'c'][i % 3]!));
      for (const l of labels) { if (rand() < 0.5) sim.run(Math.floor(rand() * 4)); sim.register(l, rand() < 0.5 ? 'Kim' : 'kim'); }
      sim.run(300);
      expect(labels.filter((l) => registered(sim, l)).length).toBeLessThanOrEqual(1);
      sim.heal('a', 'b');
      sim.run(3000);
      const holders = labels.filter((l) => registered(sim, l) && refusals(sim, l).every((r) => r.reason !== 'lost'));
      expect(holders.length).toBeLessThanOrEqual(1);
      const views = ['a', 'b', 'c'].map((s) => JSON.stringify(sim.view(s)));
      expect(new Set(views).size).toBe(1);
    }
  });

  it('a full split grants on both sides; on healing the older claim wins everywhere and the loser is told', () => {
    const sim = mesh();
    sim.cut('a', 'b');
    sim.cut('a', 'c');
    sim.run(3000);
    expect(members(sim, 'a')).toEqual([]);
    sim.attach('p', 'a');
    sim.register('p', 'eve');
    sim.run(5);
    sim.attach('q', 'b');
    sim.register('q', 'Eve');
    sim.run(50);
    expect(registered(sim, 'p') && registered(sim, 'q')).toBe(true); // nobody could tell them apart
    sim.heal('a', 'b');
    sim.heal('a', 'c');
    sim.run(3000);
    for (const s of ['a', 'b', 'c']) expect(sim.view(s)).toEqual({ eve: 'a' });
    expect(refusals(sim, 'q')).toMatchObject([{ name: 'Eve', reason: 'lost' }]);
    expect(refusals(sim, 'p')).toEqual([]);
    expect(sim.engines.get('b')!.stats().claimsLost).toBe(1);
  });

  it('claims made while a cut is not yet noticed are not confirmed on both sides when it is', () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const sim = mesh();
      sim.cut('a', 'b'); // a and b still think they are connected for the liveness time; c knows nothing
      for (const x of ['a', 'b', 'c']) for (const y of ['a', 'b', 'c']) if (x !== y) sim.latency(x, y, 1 + Math.floor(rand() * 25));
      sim.attach('p', 'a');
      sim.attach('q', 'b');
      sim.run(Math.floor(rand() * 100));
      const [first, second] = rand() < 0.5 ? ['p', 'q'] : ['q', 'p'];
      sim.register(first!, 'kim');
      sim.run(Math.floor(rand() * 5));
      sim.register(second!, 'Kim');
      sim.run(3000);
      expect([registered(sim, 'p'), registered(sim, 'q')].filter(Boolean).length, `round ${round}`).toBeLessThanOrEqual(1);
      sim.heal('a', 'b');
      sim.run(3000);
      expect(new Set(['a', 'b', 'c'].map((x) => JSON.stringify(sim.view(x)))).size).toBe(1);
    }
  });
});
