import { describe, expect, it } from 'vitest';
import { FrameTooLargeError, MalformedFrameError, TruncatedFrameError } from '../errors.js';
import { encodeFrame } from './frame-encoder.js';
import { FrameDecoder } from './frame-decoder.js';

const frames = [
  encodeFrame({ ping: { nonce: 7, sentAtMs: 1_700_000_000_000 } }),
  encodeFrame({ broadcast: { messageId: new Uint8Array(16).fill(3), hopCount: 2, chat: { text: 'héllo', fromName: 'a' } } }),
  encodeFrame({ blockData: { index: 9, data: new Uint8Array(70_000).fill(5) } }),
];
const stream = Buffer.concat(frames);

describe('FrameDecoder', () => {
  it('decodes many frames in one chunk', () => {
    const out = new FrameDecoder().pushEnvelopes(stream);
    expect(out.map((e) => e.body)).toEqual(['ping', 'broadcast', 'blockData']);
    expect(out[1]!.broadcast!.chat!.text).toBe('héllo');
  });

  it('decodes the stream fed one byte at a time', () => {
    const d = new FrameDecoder();
    const out = [];
    for (const byte of stream) out.push(...d.pushEnvelopes(Uint8Array.of(byte)));
    expect(out.map((e) => e.body)).toEqual(['ping', 'broadcast', 'blockData']);
    expect(out[2]!.blockData!.data!.length).toBe(70_000);
    expect(d.pendingBytes).toBe(0);
    d.end();
  });

  it('refuses an oversized length prefix before buffering the body', () => {
    const d = new FrameDecoder({ maxFrameSize: 1000 });
    expect(() => d.push(Uint8Array.of(0xe9, 0x07))).toThrow(FrameTooLargeError);
    expect(d.pendingBytes).toBe(0);
    expect(() => d.push(Uint8Array.of(0))).toThrow(FrameTooLargeError);
  });

  it('refuses a varint longer than five bytes', () => {
    const d = new FrameDecoder({ maxFrameSize: 2 ** 40 });
    expect(() => d.push(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01))).toThrow(MalformedFrameError);
  });

  it('reports a stream that ends inside a frame', () => {
    const d = new FrameDecoder();
    d.push(stream.subarray(0, stream.length - 3));
    expect(() => d.end()).toThrow(TruncatedFrameError);
  });
});
