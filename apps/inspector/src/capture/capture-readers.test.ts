import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InspectorError } from '../errors.js';
import { readCapture } from './open-capture.js';
import { PcapWriter } from './pcap-writer.js';
import { ipv6ToString } from './ip.js';
import { stripLinkLayer } from './link-layer.js';
import { LinkType, type CapturedPacket } from './types.js';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function all(bytes: Uint8Array, size = 7): Promise<CapturedPacket[]> {
  const out: CapturedPacket[] = [];
  for await (const p of readCapture(chunks(bytes, size))) out.push(p);
  return out;
}

function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const out = Buffer.alloc(12 + padded.length);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(out.length, 4);
  padded.copy(out, 8);
  out.writeUInt32LE(out.length, out.length - 4);
  return out;
}

describe('capture readers', () => {
  it('reads pcap in both byte orders and resolutions, whatever the chunking', async () => {
    for (const bigEndian of [false, true]) {
      for (const nanos of [false, true]) {
        const w = new PcapWriter({ linkType: LinkType.RAW, bigEndian, nanos });
        const file = Buffer.concat([w.header(), w.record({ seconds: 1_700_000_000, nanos: 123_456_789 }, Uint8Array.of(0x45, 1, 2)), w.record({ seconds: 1_700_000_001, nanos: 0 }, Uint8Array.of(0x60))]);
        const packets = await all(file);
        expect(packets.map((p) => [p.number, p.linkType, [...p.data]])).toEqual([[1, 101, [0x45, 1, 2]], [2, 101, [0x60]]]);
        expect(packets[0]!.time).toEqual({ seconds: 1_700_000_000, nanos: nanos ? 123_456_789 : 123_456_000 });
      }
    }
  });

  it('reads pcapng with two interfaces, their link types and timestamp resolutions, skipping unknown blocks', async () => {
    const shb = Buffer.alloc(16);
    shb.writeUInt32LE(0x1a2b3c4d, 0);
    shb.writeUInt16LE(1, 4);
    shb.writeBigInt64LE(-1n, 8);
    const idb = (linkType: number, tsresol?: number): Buffer => {
      const head = Buffer.alloc(8);
      head.writeUInt16LE(linkType, 0);
      const opts = tsresol === undefined ? Buffer.alloc(0) : Buffer.from([9, 0, 1, 0, tsresol, 0, 0, 0, 0, 0, 0, 0]);
      return Buffer.concat([head, opts]);
    };
    const epb = (iface: number, units: bigint, data: number[]): Buffer => {
      const head = Buffer.alloc(20);
      head.writeUInt32LE(iface, 0);
      head.writeUInt32LE(Number(units >> 32n), 4);
      head.writeUInt32LE(Number(units & 0xffffffffn), 8);
      head.writeUInt32LE(data.length, 12);
      head.writeUInt32LE(data.length, 16);
      return Buffer.concat([head, Buffer.from(data)]);
    };
    const file = Buffer.concat([
      block(0x0a0d0d0a, shb),
      block(1, idb(LinkType.ETHERNET)),
      block(1, idb(LinkType.LINUX_SLL2, 9)),
      block(0x0bad, Buffer.from('custom')),
      block(6, epb(0, 1_700_000_000_500_000n, [1, 2, 3])),
      block(6, epb(1, 1_700_000_000_000_000_007n, [4, 5])),
    ]);
    const packets = await all(file, 5);
    expect(packets.map((p) => [p.interfaceId, p.linkType, [...p.data]])).toEqual([[0, 1, [1, 2, 3]], [1, 276, [4, 5]]]);
    expect(packets[0]!.time).toEqual({ seconds: 1_700_000_000, nanos: 500_000_000 });
    expect(packets[1]!.time).toEqual({ seconds: 1_700_000_000, nanos: 7 });
  });

  it('random bytes after a valid header end in packets or a typed error, never anything else', async () => {
    const pcapHeader = new PcapWriter({ linkType: LinkType.ETHERNET }).header();
    const shb = Buffer.from('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000', 'hex');
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), async (noise, ng) => {
      try {
        await all(Buffer.concat([ng ? shb : pcapHeader, noise]), 64);
      } catch (err) {
        expect(err).toBeInstanceOf(InspectorError);
      }
    }), { numRuns: 200 });
  });

  it('refuses what is not a capture with a typed error', async () => {
    await expect(all(Buffer.from('GET / HTTP/1.1\r\n'))).rejects.toMatchObject({ code: 'ERR_UNKNOWN_CAPTURE_FORMAT' });
  });

  it('strips link layers and writes IPv6 addresses the RFC 5952 way', () => {
    expect(stripLinkLayer(LinkType.NULL, Uint8Array.of(30, 0, 0, 0, 0x60))).toMatchObject({ ipVersion: 6 });
    expect(stripLinkLayer(LinkType.ETHERNET, Uint8Array.of(...Array(12).fill(0), 0x08, 0x06))).toBe('ethertype 0x0806 is not IP');
    expect(stripLinkLayer(999, Uint8Array.of())).toBe('link type 999 is not supported');
    expect(ipv6ToString(Uint8Array.of(...Array(15).fill(0), 1))).toBe('::1');
    expect(ipv6ToString(Uint8Array.of(0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1))).toBe('2001:db8::1:0:0:1');
  });
});
