#!/usr/bin/env node
// Writes proto/vectors-signed/: for each signed message kind, a message (protobuf JSON mapping, as inside an
// Envelope), the exact bytes its author signs (the canonical encoding of src/trust/signed-bytes.ts) and a real
// ECDSA P-256 signature over them by a throwaway key whose hash is the author. Run ONCE (needs a built dist/);
// the vectors never change afterwards: a changed byte means the signed encoding changed, which v1 forbids.
import { generateKeyPairSync, createHash, sign } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { v1 } from '../../dist/codec/wire.js';
import { broadcastSignedBytes, directSignedBytes, directAckSignedBytes } from '../../dist/trust/signed-bytes.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'proto', 'vectors-signed');
mkdirSync(out, { recursive: true });
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = publicKey.export({ type: 'spki', format: 'der' });
const author = createHash('sha256').update(spki).digest();
const label = (l, n) => createHash('sha256').update(l).digest().subarray(0, n);
const T0 = 1_763_769_600_000;
const other = label('peer:bob', 32);

const cases = [
  ['broadcast.chat', 'A signed chat broadcast (hop_count is not signed).', 'broadcast', broadcastSignedBytes,
    { messageId: label('message:sb1', 16), origin: author, hopCount: 3, maxHops: 16, chat: { text: 'héllo ✓', fromName: 'alice', sentAtMs: T0 } }],
  ['broadcast.data', 'A signed data broadcast.', 'broadcast', broadcastSignedBytes,
    { messageId: label('message:sb2', 16), origin: author, maxHops: 16, data: Buffer.from([0, 1, 2, 0xff]) }],
  ['direct.chat', 'A signed direct chat line, as sent straight over a TLS session.', 'direct', directSignedBytes,
    { messageId: label('message:sd1', 16), from: author, to: other, hopCount: 1, maxHops: 8, chat: { text: 'hi bob', fromName: 'alice', sentAtMs: T0 + 1 } }],
  ['direct.sealed', 'A signed direct whose payload is sealed with HPKE (the signature covers enc and ciphertext).', 'direct', directSignedBytes,
    { messageId: label('message:sd2', 16), from: author, to: other, hopCount: 2, maxHops: 8, sealedEnc: label('enc', 32), sealedPayload: label('ciphertext', 24) }],
  ['direct-ack', 'A signed acknowledgement.', 'directAck', directAckSignedBytes,
    { messageId: label('message:sd1', 16), to: other, from: author, status: 1, hopCount: 1 }],
];

for (const [name, description, kind, signedBytes, message] of cases) {
  const file = join(out, `${name}.json`);
  if (existsSync(file) && !process.argv.includes('--force')) continue;
  const bytes = signedBytes(message);
  const signature = sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const signed = { ...message, authorKey: spki, signature };
  const env = v1.Envelope.fromObject({ [kind]: signed });
  const json = v1.Envelope.toObject(env, { bytes: String, enums: String, longs: Number })[kind];
  if (!json) throw new Error(`${name}: nothing encoded (${Object.keys(v1.Envelope.toObject(env))})`);
  writeFileSync(file, `${JSON.stringify({ name, description, kind, json, signedHex: Buffer.from(bytes).toString('hex') }, null, 2)}\n`);
  console.log(`wrote ${name}`);
}
