import { describe, expect, it } from 'vitest';
import { v1 } from '../codec/wire.js';
import { FrameTooLargeError } from '../errors.js';
import { encodeFrame } from '../framing/frame-encoder.js';
import { FrameDecoder } from '../framing/frame-decoder.js';
import { allocBlockDataFrame } from './block-data-frame.js';

describe('allocBlockDataFrame', () => {
  const cases: [number, number, number][] = [[16, 0, 0], [16, 1, 5], [16, 127, 128], [16, 300, 256 * 1024], [32, 2 ** 31, 1024 * 1024]];
  it.each(cases)('gives the bytes of encodeFrame (transfer ID %i bytes, index %i, %i data bytes)', (idLen, index, len) => {
    const transferId = new Uint8Array(idLen).map((_, i) => i + 1);
    const data = new Uint8Array(len).map((_, i) => (i * 7) & 0xff);
    const { frame, data: slot } = allocBlockDataFrame(transferId, index, len, 2 * 1024 * 1024);
    expect(slot.length).toBe(len);
    slot.set(data);
    expect(Buffer.from(frame).equals(Buffer.from(encodeFrame({ blockData: { transferId, index, data } }, 2 * 1024 * 1024)))).toBe(true);
    const [payload] = new FrameDecoder({ maxFrameSize: 2 * 1024 * 1024 }).push(frame);
    const env = v1.Envelope.decode(payload!);
    expect(env.blockData?.index).toBe(index);
    expect(Buffer.from(env.blockData!.data!).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses a frame beyond the limit', () => {
    expect(() => allocBlockDataFrame(new Uint8Array(16), 0, 1024 * 1024 + 4096)).toThrow(FrameTooLargeError);
  });
});
