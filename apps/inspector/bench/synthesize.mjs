// Writes a valid pcap of our traffic of about `targetBytes`: TCP sessions on 127.0.0.1 (Ethernet frames as
// tcpdump records them, segments of at most one Ethernet MSS) carrying a mix of envelopes, plus discovery datagrams.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { encodeDatagram, encodeFrame } from '@p2p/core/wire';
import { PcapWriter, buildTcpPacket, buildUdpPacket, wrapEthernet, LinkType } from '../dist/index.js';

// A LAN MSS, so packet counts look like a capture of a real network (loopback would allow 64 KiB).
const SEGMENT = 1448;

function envelopeMix(i, peer) {
  switch (i % 10) {
    case 0: case 1: case 2: case 3:
      return { broadcast: { messageId: randomBytes(16), origin: peer, hopCount: i % 5, maxHops: 8, chat: { text: `message number ${i} from the benchmark`, fromName: 'bench', sentAtMs: 1_700_000_000_000 + i } } };
    case 4: case 5:
      return { ping: { nonce: i, sentAtMs: 1_700_000_000_000 + i } };
    case 6:
      return { pong: { nonce: i, pingSentAtMs: 1_700_000_000_000 + i, load: 3 } };
    case 7:
      return { ihave: { messageIds: [randomBytes(16), randomBytes(16), randomBytes(16)], hopCount: 2 } };
    case 8:
      return { direct: { messageId: randomBytes(16), from: peer, to: peer, hopCount: 1, maxHops: 8, chat: { text: 'direct line', fromName: 'bench', sentAtMs: i } } };
    default:
      return { blockData: { transferId: randomBytes(16), index: i, data: randomBytes(4096), sha256: randomBytes(32) } };
  }
}

/** Writes the capture; resolves with { packets, messages, bytes }. */
export async function synthesizeCapture(file, targetBytes) {
  const out = createWriteStream(file);
  const writer = new PcapWriter({ linkType: LinkType.ETHERNET });
  let bytes = 0;
  let packets = 0;
  let messages = 0;
  let seconds = 1_790_000_000;
  let nanos = 0;
  const write = async (frame) => {
    nanos += 10_000;
    if (nanos >= 1e9) { seconds++; nanos -= 1e9; }
    const record = writer.record({ seconds, nanos }, frame);
    bytes += record.length;
    packets++;
    if (!out.write(record)) await once(out, 'drain');
  };
  out.write(writer.header());
  let session = 0;
  while (bytes < targetBytes) {
    const peers = [randomBytes(32), randomBytes(32)];
    const client = { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 40000 + (session % 20000), dstPort: 4001 };
    const server = { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 4001, dstPort: client.srcPort };
    const seq = [1000, 5000];
    await write(wrapEthernet(buildTcpPacket(client, { seq: seq[0] - 1, flags: 0x02 }, new Uint8Array(0))));
    await write(wrapEthernet(buildTcpPacket(server, { seq: seq[1] - 1, ack: seq[0], flags: 0x12 }, new Uint8Array(0))));
    const hellos = peers.map((p, k) => encodeFrame({ hello: { protocolVersion: 1, peerId: p, name: `bench-${session}-${k}`, listenPort: 4001, role: 1 } }));
    // Each direction's frames are batched into segments, as a busy sender's writes coalesce.
    for (let round = 0; round < 20; round++) {
      for (const side of [0, 1]) {
        const frames = round === 0 ? [hellos[side]] : [];
        for (let i = 0; i < 25; i++) frames.push(encodeFrame(envelopeMix(round * 25 + i, peers[side])));
        messages += frames.length;
        const stream = Buffer.concat(frames);
        for (let offset = 0; offset < stream.length; offset += SEGMENT) {
          const payload = stream.subarray(offset, offset + SEGMENT);
          await write(wrapEthernet(buildTcpPacket(side === 0 ? client : server, { seq: seq[side], flags: 0x18 }, payload)));
          seq[side] = (seq[side] + payload.length) >>> 0;
        }
      }
    }
    for (let d = 0; d < 5; d++) {
      const datagram = encodeDatagram({ announce: { peer: { peerId: peers[0], name: `bench-${session}`, port: 4001, role: 1 }, instanceId: randomBytes(8), isReply: d > 0 } });
      await write(wrapEthernet(buildUdpPacket({ src: '127.0.0.1', dst: '127.0.0.1', srcPort: 41234, dstPort: 41234 }, datagram)));
      messages++;
    }
    session++;
  }
  out.end();
  await once(out, 'finish');
  return { packets, messages, bytes: bytes + 24 };
}
