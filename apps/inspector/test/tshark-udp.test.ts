import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@p2p/core/wire';
import type { InspectedMessage } from '../src/decode/message.js';
import { ourLeaves, tsharkLeaves } from './helpers/field-leaves.js';
import { inspectFile, tempDir } from './helpers/inspect.js';
import { readPackets, writePcap } from './helpers/rewrite.js';
import { captureTraffic } from './helpers/tcpdump.js';
import { freePort, makePeer, sendDatagrams } from './helpers/traffic.js';

/*
 * How the inspector's UDP decoding is checked against tshark's own protobuf dissector.
 *
 * tshark can decode p2p.v1.Envelope from our .proto files (protobuf search path + "UDP port -> message type" table),
 * but our datagrams start with a 5-byte header (magic 70 32 70 d1 + version) that the protobuf dissector does not
 * know, so on the real capture it fails. Two independent checks instead:
 *  1. tshark's dissector on a capture variant: every datagram of the real capture is rewritten with its 5-byte header
 *     removed (UDP and IP lengths fixed), then tshark decodes it with the .proto files (given through a private
 *     WIRESHARK_CONFIG_DIR holding the protobuf_search_paths and protobuf_udp_message_types tables, pbf_as_hf on,
 *     `-T json --no-duplicate-keys`). Its field leaves must equal ours, field by field.
 *  2. protoc on the real capture: tshark extracts udp.payload from the unmodified capture; the header is dropped and
 *     `protoc --decode=p2p.v1.Envelope` decodes the rest; every scalar leaf it prints must appear in our fields.
 */

const PROTO_DIR = fileURLToPath(new URL('../../../proto', import.meta.url));
const BYTES_FIELDS = new Set(['messageId', 'messageIds', 'instanceId', 'transferId', 'sha256', 'fileSha256', 'data', 'queryId', 'exclude']);

const alice = makePeer('alice');
const bob = makePeer('bob');
const info = { peerId: alice.id, name: 'alice', host: '127.0.0.1', port: 4001, role: 3, load: 2, seenAtMs: 1_700_000_000_123 };
const DATAGRAMS: Envelope[] = [
  { announce: { peer: info, instanceId: randomBytes(8), isReply: true } },
  { ping: { nonce: 123456789012, sentAtMs: 1_700_000_000_000 } },
  { pong: { nonce: 5, pingSentAtMs: 6, load: 7 } },
  { goodbye: { reason: 7, detail: 'rebalance' } },
  { error: { code: 4, message: 'slow down' } },
  { peerList: { peers: [info, { ...info, peerId: bob.id, name: 'bob', port: 4002 }] } },
  { ihave: { messageIds: [randomBytes(16), randomBytes(16)], hopCount: 3 } },
  { direct: { messageId: randomBytes(16), from: alice.id, to: bob.id, hopCount: 1, maxHops: 9, chat: { text: 'hi bob ✓', fromName: 'alice', sentAtMs: 42 } } },
  { directAck: { messageId: randomBytes(16), to: alice.id, from: bob.id, status: 1, hopCount: 2 } },
  { deadReport: { peerId: bob.id, reason: 'missed 3 pings' } },
  { registerAck: { ttlMs: 30000, knownPeers: 12 } },
  { clique: { message: { messageId: randomBytes(16), from: 'alice', to: '*', chat: { text: 'all', fromName: 'alice', sentAtMs: 1 } } } },
];

function tshark(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('tshark', args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

describe('UDP decoding agrees with tshark and protoc', () => {
  const dir = tempDir();
  const file = join(dir, 'udp.pcap');
  let port = 0;
  let ours: InspectedMessage[] = [];

  beforeAll(async () => {
    port = await freePort();
    await captureTraffic(file, `udp port ${port}`, () => sendDatagrams(port, DATAGRAMS));
    ours = (await inspectFile(file)).filter((m) => m.transport === 'udp');
    expect(ours.map((m) => m.type)).toEqual(DATAGRAMS.map((e) => Object.keys(e)[0]));
  });

  it("tshark's protobuf dissector (on the header-stripped variant) decodes the same fields", async () => {
    const stripped = join(dir, 'stripped.pcap');
    const packets = await readPackets(file);
    writePcap(stripped, packets, {}, (p) => {
      const f = Buffer.from(p.data);
      const out = Buffer.concat([f.subarray(0, 42), f.subarray(47)]);
      out.writeUInt16BE(out.readUInt16BE(16) - 5, 16); // IPv4 total length
      out.writeUInt16BE(out.readUInt16BE(38) - 5, 38); // UDP length
      out.writeUInt16BE(0, 40); // UDP checksum: none
      return out;
    });
    const config = join(dir, 'wireshark');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'protobuf_search_paths'), `"${PROTO_DIR}","TRUE"\n`);
    writeFileSync(join(config, 'protobuf_udp_message_types'), `"${port}","p2p.v1.Envelope"\n`);
    writeFileSync(join(config, 'preferences'), 'protobuf.pbf_as_hf: TRUE\n');
    const json = JSON.parse(tshark(['-r', stripped, '-d', `udp.port==${port},protobuf`, '-T', 'json', '--no-duplicate-keys', '-J', 'protobuf'], { WIRESHARK_CONFIG_DIR: config })) as { _source: { layers: { protobuf: unknown } } }[];
    expect(json).toHaveLength(ours.length);
    for (const [i, packet] of json.entries()) {
      const theirs = tsharkLeaves(packet._source.layers.protobuf);
      expect(theirs.length, ours[i]!.type).toBeGreaterThan(0);
      expect(ourLeaves(ours[i]!.fields, BYTES_FIELDS), ours[i]!.type).toEqual(theirs);
    }
  });

  it('protoc --decode on the payloads tshark extracts from the real capture agrees', () => {
    const payloads = tshark(['-r', file, '-Y', `udp.dstport==${port}`, '-T', 'fields', '-e', 'udp.payload']).trim().split('\n');
    expect(payloads).toHaveLength(ours.length);
    for (const [i, hex] of payloads.entries()) {
      const bytes = Buffer.from(hex.replace(/:/g, ''), 'hex');
      expect(bytes.subarray(0, 5).toString('hex')).toBe('703270d101');
      expect(Buffer.from(ours[i]!.raw).toString('hex')).toBe(bytes.toString('hex'));
      const text = execFileSync('protoc', [`-I${PROTO_DIR}`, '--decode=p2p.v1.Envelope', 'p2p/v1/envelope.proto'], { input: bytes.subarray(5) }).toString();
      const json = JSON.stringify(ours[i]!.fields);
      // Scalar leaves (numbers, enum names, plain strings) must be in our decoding; bytes are compared by check 1.
      for (const line of text.split('\n')) {
        const m = /^\s*(\w+): (.*)$/.exec(line);
        // A quoted value with any escape is random bytes (IDs) or non-ASCII text: both are compared by check 1.
        if (!m || (m[2]!.startsWith('"') && m[2]!.includes('\\'))) continue;
        const value = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
        expect(json, `${ours[i]!.type}.${m[1]}`).toContain(value === 'true' || /^\d+$/.test(value) || /^[A-Z_0-9]+$/.test(value) ? value : JSON.stringify(value).slice(1, -1));
      }
    }
  });
});
