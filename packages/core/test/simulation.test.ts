/**
 * Engine-level simulation: 500 broadcast engines on an in-process bus over a random connected graph
 * (6-8 neighbours each), a virtual clock, and 20% of the nodes killed while broadcasts are in flight.
 * Plumtree must deliver every message exactly once to every live node that is still connected to the origin,
 * at about one copy per node per message once the tree is built; naive flooding over the same graph is the baseline.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBroadcastEngine } from '../src/broadcast/plumtree-engine.js';
import type { BroadcastEngine, BroadcastMode } from '../src/broadcast/types.js';
import { peerIdToString } from '../src/identity/peer-id.js';
import { component, randomConnectedGraph, seededRandom, SimBus, VirtualClock } from './simulation-harness.js';

const NODES = 500;
const FAIL_RATIO = 0.2;
const DETECT_MS = 1500; // about 3 missed pings at the default interval

interface PhaseResult {
  messages: number;
  expected: number;
  delivered: number;
  copies: number;
}

interface RunResult {
  mode: BroadcastMode;
  liveNodes: number;
  unreachable: number;
  overDelivered: number;
  phases: Record<'warmup' | 'failures' | 'steady', PhaseResult>;
  sentByType: Record<string, number>;
  virtualMs: number;
  wallMs: number;
}

function simulate(mode: BroadcastMode, seed: number): RunResult {
  const wallStart = performance.now();
  const random = seededRandom(seed);
  const clock = new VirtualClock();
  const bus = new SimBus(clock, random, { minMs: 1, maxMs: 5 });
  const adj = randomConnectedGraph(NODES, 6, 8, random);
  const ids = Array.from({ length: NODES }, () => peerIdToString(randomBytes(32)));
  const index = new Map(ids.map((id, i) => [id, i]));
  // deliveries.get(messageId)[node] = times the application got it
  const deliveries = new Map<string, Uint16Array>();
  const engines: BroadcastEngine[] = ids.map((self, i) =>
    createBroadcastEngine({
      self,
      selfName: `n${i}`,
      mode,
      clock,
      random,
      send: (to, env) => bus.send(self, to, env),
      deliver: (m) => {
        let row = deliveries.get(m.id);
        if (!row) deliveries.set(m.id, (row = new Uint16Array(NODES)));
        row[i]!++;
      },
    }),
  );
  ids.forEach((id, i) => bus.register(id, (from, env) => engines[i]!.handle(from, env)));
  adj.forEach((neighbours, i) => neighbours.forEach((j) => engines[i]!.neighbourUp(ids[j]!)));

  const alive = (i: number) => bus.isAlive(ids[i]!);
  // Victims are chosen up front; origins are never victims, so every message has a live origin to measure from.
  const order = Array.from({ length: NODES }, (_, i) => i).sort(() => random() - 0.5);
  const victims = order.slice(0, Math.floor(NODES * FAIL_RATIO));
  const survivors = order.slice(victims.length);
  const pick = () => survivors[Math.floor(random() * survivors.length)]!;

  const sent: { id: string; origin: number; phase: keyof RunResult['phases'] }[] = [];
  const copiesAt = () => engines.reduce((s, e) => s + e.stats().delivered + e.stats().duplicates, 0);
  const copiesBefore = { warmup: 0, failures: 0, steady: 0 };
  const copiesAfter = { ...copiesBefore };

  const kill = (victim: number) => {
    bus.kill(ids[victim]!);
    engines[victim]!.stop();
    // The failure detector of each neighbour fires a little later.
    clock.setTimeout(() => {
      for (const j of adj[victim]!) if (alive(j)) engines[j]!.neighbourDown(ids[victim]!);
    }, DETECT_MS);
  };

  const send = (phase: keyof RunResult['phases']) => {
    const origin = pick();
    sent.push({ id: engines[origin]!.broadcast({ text: `${phase} ${sent.length}` }).messageId, origin, phase });
  };

  // Phase 1: a few broadcasts build the tree.
  copiesBefore.warmup = copiesAt();
  for (let m = 0; m < 5; m++) {
    send('warmup');
    clock.runIdle(200);
  }
  clock.runIdle(2000);
  copiesAfter.warmup = copiesAt();

  // Phase 2: a stream of broadcasts, 10 ms apart; 20% of the nodes die in four waves while messages are in flight.
  copiesBefore.failures = copiesAt();
  const waves = 4;
  for (let m = 0; m < 20; m++) {
    send('failures');
    clock.runIdle(2); // the message is on its way...
    if (m % 5 === 1) {
      const wave = Math.floor(m / 5);
      const per = Math.ceil(victims.length / waves);
      for (const v of victims.slice(wave * per, (wave + 1) * per)) kill(v); // ...when a wave of nodes dies
    }
    clock.runIdle(8);
  }
  clock.runIdle(10_000); // failure detection, grafts and retries settle
  copiesAfter.failures = copiesAt();

  // Phase 3: steady state on the repaired tree, 10 broadcasts a second.
  copiesBefore.steady = copiesAt();
  for (let m = 0; m < 40; m++) {
    send('steady');
    clock.runIdle(100);
  }
  clock.runIdle(10_000);
  copiesAfter.steady = copiesAt();

  const phases = {} as RunResult['phases'];
  let unreachable = 0;
  let overDelivered = 0;
  for (const phase of ['warmup', 'failures', 'steady'] as const) {
    const mine = sent.filter((s) => s.phase === phase);
    let expected = 0;
    let delivered = 0;
    for (const { id, origin } of mine) {
      const row = deliveries.get(id) ?? new Uint16Array(NODES);
      const reach = component(adj, origin, alive);
      for (let i = 0; i < NODES; i++) {
        if (row[i]! > 1) overDelivered++;
        if (i === origin || !alive(i)) continue;
        if (!reach.has(i)) {
          unreachable++;
          continue;
        }
        expected++;
        if (row[i]! >= 1) delivered++;
      }
      expect(row[origin]).toBe(0); // the origin never delivers to itself
    }
    phases[phase] = { messages: mine.length, expected, delivered, copies: copiesAfter[phase] - copiesBefore[phase] };
  }
  return {
    mode,
    liveNodes: NODES - victims.length,
    unreachable,
    overDelivered,
    phases,
    sentByType: Object.fromEntries(bus.sentByType),
    virtualMs: clock.now(),
    wallMs: Math.round(performance.now() - wallStart),
  };
}

function report(r: RunResult): void {
  const rows = Object.entries(r.phases).map(([phase, p]) => ({
    mode: r.mode,
    phase,
    messages: p.messages,
    'delivery %': ((100 * p.delivered) / Math.max(1, p.expected)).toFixed(2),
    // every copy received by a live or dead node, per receiving node per message
    'copies/node/msg': (p.copies / Math.max(1, p.delivered)).toFixed(3),
    'duplicates/node/msg': ((p.copies - p.delivered) / Math.max(1, p.delivered)).toFixed(3),
  }));
  console.log(`simulation ${r.mode}: ${NODES} nodes, ${NODES - r.liveNodes} killed, ${r.unreachable} (node, message) pairs cut off from their origin, ` +
    `${r.virtualMs} virtual ms in ${r.wallMs} ms; envelopes sent: ${JSON.stringify(r.sentByType)}`);
  console.table(rows);
}

describe('simulation: 500 broadcast engines, 20% failing mid-broadcast', () => {
  const seed = 20071002;
  let plumtree: RunResult;
  let flood: RunResult;

  it('plumtree delivers every message exactly once to every live connected node, at about one copy per node', () => {
    plumtree = simulate('plumtree', seed);
    report(plumtree);
    expect(plumtree.overDelivered).toBe(0);
    for (const p of Object.values(plumtree.phases)) expect(p.delivered).toBe(p.expected);
    const steady = plumtree.phases.steady;
    expect(steady.copies / steady.delivered).toBeLessThanOrEqual(1.2);
  });

  it('naive flooding over the same graph delivers exactly once too, at the cost of about one copy per link', () => {
    flood = simulate('flood', seed);
    report(flood);
    expect(flood.overDelivered).toBe(0);
    const steady = flood.phases.steady;
    expect(steady.delivered).toBe(steady.expected);
    expect(steady.copies / steady.delivered).toBeGreaterThan(3);
    if (plumtree) {
      console.log(`steady state copies/node/msg: plumtree ${(plumtree.phases.steady.copies / plumtree.phases.steady.delivered).toFixed(3)} ` +
        `vs flood ${(steady.copies / steady.delivered).toFixed(3)}`);
    }
  });
});
