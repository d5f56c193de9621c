import tls from 'node:tls'; import fs from 'node:fs'; import { randomBytes } from 'node:crypto';
import { encodeFrame } from './dist/framing/frame-encoder.js';
import { FrameDecoder } from './dist/framing/frame-decoder.js';
import { generateIdentity } from './dist/identity/node-identity.js';
import { ALPN_PROTOCOL } from './dist/transport/socket-transport.js';
import { v1 } from './dist/codec/wire.js';
const [port, pid] = [Number(process.argv[2]), process.argv[3]];
const only = process.argv[4];
const rss = () => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
const conn = (id) => new Promise((res, rej) => {
  const s = tls.connect({ host: '127.0.0.1', port, key: id.keyPem, cert: id.certPem, minVersion: 'TLSv1.3', rejectUnauthorized: false, checkServerIdentity: () => undefined, ALPNProtocols: [ALPN_PROTOCOL] }, () => res(s));
  s.once('error', rej); s.on('error', () => {});
  const dec = new FrameDecoder(); s.frames = 0; s.bytesIn = 0; s.bye = undefined; s.closedP = new Promise((r) => s.on('close', r));
  s.on('data', (c) => { s.bytesIn += c.length; try { for (const f of dec.pushEnvelopes(c)) { s.frames++; if (f.ping) s.write(encodeFrame({ pong: { nonce: f.ping.nonce } })); if (f.goodbye) s.bye = f.goodbye; } } catch (e) { s.decErr = e.message; } });
});
const until = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(() => r('timeout'), ms))]);
const ids = (n) => Array.from({ length: n }, () => randomBytes(16));
const floods = {
  ping: () => ({ ping: { nonce: Math.floor(Math.random() * 1e9), sentAtMs: Date.now() } }),
  ihave: () => ({ ihave: { messageIds: ids(200), hopCount: 1 } }),
  graft: () => ({ graft: { messageIds: ids(200) } }),
  prune: () => ({ prune: { messageId: randomBytes(16) } }),
  peerListRequest: () => ({ peerListRequest: { limit: 1000, exclude: ids(50) } }),
  register: () => ({ register: { peer: { peerId: randomBytes(32), name: 'x', port: 1234 } } }),
  deadReport: () => ({ deadReport: { peerId: randomBytes(32) } }),
  direct: () => ({ direct: { messageId: randomBytes(16), from: randomBytes(32), to: randomBytes(32), hopCount: 0, payload: { chat: { text: 'x'.repeat(1000), fromName: 'y' } } } }),
};
for (const [k, mk] of Object.entries(floods)) {
  if (only && k !== only) continue;
  const id = await generateIdentity();
  const before = rss();
  const s = await conn(id);
  s.write(encodeFrame({ hello: { protocolVersion: 1, peerId: id.peerIdBytes, name: 'flood', listenPort: 0, role: v1.Role.ROLE_PEER, instanceId: randomBytes(16) } }));
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now(); let sent = 0;
  while (sent < 20000 && Date.now() - t0 < 15000 && !s.destroyed) {
    let ok = true; for (let i = 0; i < 200; i++) { ok = s.write(encodeFrame(mk())); sent++; }
    if (!ok) await until(new Promise((r) => s.once('drain', r)), 2000);
  }
  const r = await until(s.closedP, 5000);
  console.log(k, `sent ${sent} in ${Date.now() - t0} ms,`, r === 'timeout' ? 'session still open' : 'closed', s.bye ? `bye=${v1.GoodbyeReason[s.bye.reason]} ${s.bye.detail}` : '', `replies=${s.frames} bytesIn=${s.bytesIn}`, `rss ${before}->${rss()} kB`);
  s.destroy();
}
