// The cost of signed authorship and sealed directs, each beside its baseline in the same run:
//   1. sign / verify ops/s: ECDSA P-256 (the identity key) vs Ed25519, over the signed bytes of a chat broadcast;
//      HPKE seal+open (DHKEM P-256, AES-128-GCM) per direct.
//   2. throughput of the broadcast engine and the direct router, with the node's real authenticator vs without
//      (no signatures: the pre-trust wire), on three in-process nodes a-b-c whose envelopes cross the real codec.
//      Broadcast: a starts, b and c verify and deliver. Direct: a to its neighbour b (signed, TLS protects it), and
//      a to c through b (signed and sealed with HPKE). Messages/s at the origin, everything delivered.
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { createMessageSigner, generateIdentity } from '../dist/index.js';
import { createBroadcastEngine, createDirectRouter, createDirectSealer, createKeyRing, createMessageAuth } from '../dist/testing/index.js';
import { broadcastSignedBytes, decodeEnvelope, encodeEnvelope } from '../dist/wire.js';
import { measureInterleaved, median } from './lib/measure.mjs';
import { formatRate, formatTable } from './lib/table.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const MESSAGES = Number(process.env.BENCH_TRUST_MESSAGES ?? 600);
const RUNS = Number(process.env.BENCH_TRUST_RUNS ?? 3);

function primitives() {
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const data = broadcastSignedBytes({
    messageId: randomBytes(16), origin: randomBytes(32), maxHops: 32,
    chat: { text: 'Are we still on for the review at 3pm? I pushed the fixes to the branch.', fromName: 'alice', sentAtMs: Date.now() },
  });
  const sigP = sign('sha256', data, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' });
  const sigE = sign(null, data, ed.privateKey);
  const results = measureInterleaved([
    { id: 'p256 sign', fn: () => sign('sha256', data, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }) },
    { id: 'p256 verify', fn: () => [verify('sha256', data, { key: p256.publicKey, dsaEncoding: 'ieee-p1363' }, sigP)] },
    { id: 'ed25519 sign', fn: () => sign(null, data, ed.privateKey) },
    { id: 'ed25519 verify', fn: () => [verify(null, data, ed.publicKey, sigE)] },
  ], { rounds: ROUNDS, batchMs: 100 });
  return { results, bytes: data.length, sigP: sigP.length, sigE: sigE.length };
}

async function hpke() {
  const id = await generateIdentity();
  const sealer = createDirectSealer(id.keyPem);
  const spki = createMessageSigner(id).publicKey;
  const text = Buffer.from('Are we still on for the review at 3pm?');
  const aad = randomBytes(80);
  for (let i = 0; i < 50; i++) await sealer.open(...Object.values(await sealer.seal(spki, text, aad)), aad);
  const samples = [];
  for (let r = 0; r < 5; r++) {
    const n = 200;
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      const { enc, ciphertext } = await sealer.seal(spki, text, aad);
      await sealer.open(enc, ciphertext, aad);
    }
    samples.push((n * 1000) / (performance.now() - t));
  }
  return median(samples);
}

/** Three nodes a-b-c in a line; envelopes are encoded, queued and decoded as a session would. */
async function line(signed) {
  const ids = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()]);
  const names = ['a', 'b', 'c'];
  const peer = Object.fromEntries(names.map((n, i) => [n, ids[i].peerId]));
  const nameOf = Object.fromEntries(names.map((n) => [peer[n], n]));
  const adj = { a: ['b'], b: ['a', 'c'], c: ['b'] };
  const queue = [];
  const delivered = { a: 0, b: 0, c: 0 };
  const nodes = {};
  for (const [i, n] of names.entries()) {
    const keys = createKeyRing();
    for (const other of ids) keys.add(createMessageSigner(other).publicKey); // as learned from sessions and acks
    const auth = signed ? createMessageAuth({
      signer: createMessageSigner(ids[i]), sealer: createDirectSealer(ids[i].keyPem), keys,
      authenticatedSession: (p) => adj[n].includes(nameOf[p]), onReject: () => { throw new Error('rejected'); },
    }) : undefined;
    const send = (to, env) => { queue.push([n, nameOf[to], encodeEnvelope(env)]); return true; };
    nodes[n] = {
      engine: createBroadcastEngine({ self: peer[n], selfName: n, send, deliver: () => delivered[n]++, ...(auth ? { auth: auth.broadcast } : {}) }),
      router: createDirectRouter({ self: peer[n], selfName: n, send, neighbours: () => adj[n].map((x) => peer[x]), deliver: () => { delivered[n]++; }, ...(auth ? { auth: auth.direct } : {}), options: { maxPending: 1 << 20, timeoutMs: 600_000 } }),
    };
  }
  for (const n of names) for (const x of adj[n]) nodes[n].engine.neighbourUp(peer[x]);
  const pump = async (done) => {
    while (!done()) {
      while (queue.length) {
        const [from, to, bytes] = queue.shift();
        const env = decodeEnvelope(bytes);
        if (!nodes[to].engine.handle(peer[from], env)) nodes[to].router.handle(peer[from], env);
      }
      await new Promise((r) => setImmediate(r));
    }
  };
  const stop = () => { for (const n of names) { nodes[n].engine.stop(); nodes[n].router.stop(); } };
  return { nodes, peer, delivered, pump, stop };
}

async function throughput(kind, signed) {
  const net = await line(signed);
  const text = 'Are we still on for the review at 3pm? I pushed the fixes to the branch.';
  const target = kind === 'direct to c (relayed)' ? 'c' : 'b';
  const t = performance.now();
  if (kind === 'broadcast') {
    for (let i = 0; i < MESSAGES; i++) net.nodes.a.engine.broadcast({ text });
    await net.pump(() => net.delivered.c >= MESSAGES);
  } else {
    const results = [];
    for (let i = 0; i < MESSAGES; i++) results.push(net.nodes.a.router.send(net.peer[target], { text }));
    let settled = 0;
    for (const r of results) void r.then((x) => { if (x.status !== 'delivered') throw new Error(x.status); settled++; });
    await net.pump(() => settled >= MESSAGES);
  }
  const rate = (MESSAGES * 1000) / (performance.now() - t);
  net.stop();
  return rate;
}

/** Measures and prints both tables. */
export default async function run() {
  const { results, bytes, sigP, sigE } = primitives();
  const op = (id) => results.get(id).opsPerSec;
  console.log(`## trust: signatures (median of ${ROUNDS} interleaved rounds, ${bytes}-byte signed bytes of a chat broadcast)`);
  console.log(formatTable(
    [{ key: 'alg', title: 'key type', align: 'left' }, { key: 'sig', title: 'signature bytes' }, { key: 'sign', title: 'sign ops/s' }, { key: 'verify', title: 'verify ops/s' }],
    [
      { alg: 'ECDSA P-256 (ours: TLS, signatures, HPKE)', sig: sigP, sign: formatRate(op('p256 sign')), verify: formatRate(op('p256 verify')) },
      { alg: 'Ed25519 (baseline)', sig: sigE, sign: formatRate(op('ed25519 sign')), verify: formatRate(op('ed25519 verify')) },
    ],
  ));
  console.log(`HPKE seal+open of a chat line (DHKEM P-256, HKDF-SHA256, AES-128-GCM, @hpke/core): ${formatRate(await hpke())} ops/s`);

  const rows = [];
  for (const kind of ['broadcast', 'direct to b (neighbour)', 'direct to c (relayed)']) {
    const unsigned = [];
    const signed = [];
    for (let r = 0; r < RUNS; r++) {
      unsigned.push(await throughput(kind, false));
      signed.push(await throughput(kind, true));
    }
    const u = median(unsigned);
    const s = median(signed);
    rows.push({ kind, unsigned: formatRate(u), signed: formatRate(s), ratio: `${(s / u).toFixed(2)}x` });
  }
  console.log(`\n## trust: messages/s through three in-process nodes a-b-c (${MESSAGES} messages, median of ${RUNS} alternating runs)`);
  console.log(formatTable(
    [{ key: 'kind', title: 'what', align: 'left' }, { key: 'unsigned', title: 'unsigned (baseline)' }, { key: 'signed', title: 'signed (+ sealed when relayed)' }, { key: 'ratio', title: 'signed/unsigned' }],
    rows,
  ));
  console.log('broadcast: a signs, b and c verify; direct to b: a signs, b verifies and signs its ack, a verifies it;');
  console.log('direct to c: the same plus HPKE seal at a and open at c, and b verifies the direct and the ack it relays.');
}
