import { randomBytes } from 'node:crypto';
import { encodeDatagram, encodeFrame } from '@p2p/core/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTcpPacket, buildUdpPacket, wrapEthernet } from '../capture/packet-builder.js';
import { LinkType, type CapturedPacket } from '../capture/types.js';
import { createKeyLog } from '../tls/key-log.js';
import { Inspector } from './inspector.js';

const client = { src: '10.1.1.1', dst: '10.1.1.2', srcPort: 40000, dstPort: 4001 };
const server = { src: '10.1.1.2', dst: '10.1.1.1', srcPort: 4001, dstPort: 40000 };

function packets(): CapturedPacket[] {
  const frames: Uint8Array[] = [wrapEthernet(buildTcpPacket(client, { seq: 99, flags: 0x02 }, new Uint8Array(0)))];
  frames.push(wrapEthernet(buildTcpPacket(server, { seq: 499, ack: 100, flags: 0x12 }, new Uint8Array(0))));
  let seq = 100;
  for (let i = 0; i < 20; i++) {
    const frame = encodeFrame(i % 2 ? { ping: { nonce: i, sentAtMs: i } } : { broadcast: { messageId: randomBytes(16), origin: randomBytes(32), chat: { text: `t${i}` } } });
    frames.push(wrapEthernet(buildTcpPacket(client, { seq }, frame)));
    seq += frame.length;
  }
  frames.push(wrapEthernet(buildUdpPacket({ ...client, dstPort: 7071 }, encodeDatagram({ ping: { nonce: 1, sentAtMs: 1 } }))));
  frames.push(wrapEthernet(buildTcpPacket({ ...client, dstPort: 443 }, { seq: 1, flags: 0x02 }, new Uint8Array(0))));
  frames.push(wrapEthernet(buildTcpPacket({ ...client, dstPort: 443 }, { seq: 2 }, Uint8Array.of(0x16, 3, 1, 0, 4, 1, 0, 0, 0))));
  return frames.map((data, i) => ({ number: i + 1, time: { seconds: 1, nanos: i }, linkType: LinkType.ETHERNET, interfaceId: 0, originalLength: data.length, data }));
}

describe('Inspector', () => {
  it('decodes synthesised traffic completely', () => {
    const inspector = new Inspector();
    const out = packets().flatMap((p) => inspector.push(p));
    out.push(...inspector.end());
    expect(out.filter((m) => m.transport === 'tcp').map((m) => m.type)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 'ping' : 'broadcast')));
    expect(out.filter((m) => m.transport === 'udp').map((m) => m.type)).toEqual(['ping']);
  });

  it('never throws, whatever bytes the packets carry', () => {
    const base = packets();
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 40 }),
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }),
      fc.constantFrom(...Object.values(LinkType)),
      (flips, extra, linkType) => {
        const inspector = new Inspector({ keyLog: createKeyLog('') });
        const mutated = base.map((p) => ({ ...p, data: Uint8Array.from(p.data) }));
        for (const [packet, offset, value] of flips) {
          const p = mutated[packet % mutated.length]!;
          if (p.data.length) p.data[offset % p.data.length] = value;
        }
        for (const [i, bytes] of extra.entries()) mutated.splice(i * 3, 0, { ...mutated[0]!, linkType, data: bytes });
        for (const p of mutated) inspector.push(p);
        inspector.end();
      },
    ), { numRuns: 300 });
  });
});
