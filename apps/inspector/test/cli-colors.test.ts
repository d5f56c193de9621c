import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { buildTcpPacket, wrapEthernet } from '../src/capture/packet-builder.js';
import { runCli } from '../src/cli/main.js';
import { encodeFrame } from '@p2p/core/wire';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/inspect.js';

class Sink extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('CLI output', () => {
  const dir = tempDir();
  const file = join(dir, 'one.pcap');
  const w = new PcapWriter({ linkType: 1 });
  const flow = { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 40000, dstPort: 4001 };
  writeFileSync(file, Buffer.concat([
    w.header(),
    w.record({ seconds: 1_700_000_000, nanos: 0 }, wrapEthernet(buildTcpPacket(flow, { seq: 99, flags: 0x02 }, new Uint8Array(0)))),
    w.record({ seconds: 1_700_000_000, nanos: 1000 }, wrapEthernet(buildTcpPacket(flow, { seq: 100 }, encodeFrame({ ping: { nonce: 1, sentAtMs: 2 } })))),
  ]));

  const run = async (tty: boolean, env: NodeJS.ProcessEnv): Promise<string> => {
    const stdout = new Sink(tty);
    const stderr = new Sink(false);
    expect(await runCli({ argv: [file], stdout, stderr, env })).toBe(0);
    return stdout.text;
  };

  it('colours a terminal, and nothing else; NO_COLOR turns colours off', async () => {
    expect(await run(true, {})).toContain('\u001b[');
    expect(await run(true, { NO_COLOR: '1' })).not.toContain('\u001b[');
    expect(await run(false, {})).not.toContain('\u001b[');
    expect(await run(false, {})).toMatch(/127\.0\.0\.1:40000 +-> 127\.0\.0\.1:4001 +ping +nonce=1 sentAtMs=2/);
  });

  it('maps errors to exit codes', async () => {
    const sink = new Sink(false);
    expect(await runCli({ argv: [file, '--keylog', join(dir, 'nope.log')], stdout: sink, stderr: sink, env: {} })).toBe(3);
    expect(sink.text).toContain('key log');
    expect(await runCli({ argv: [file, '--stream', '-1'], stdout: sink, stderr: sink, env: {} })).toBe(2);
    expect(await runCli({ argv: [], stdout: sink, stderr: sink, env: {} })).toBe(2);
  });
});
