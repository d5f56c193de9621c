// The js-libp2p baseline of the file-transfer bench, as two Node processes (TCP + Noise + Yamux, one stream):
// `receive OUT` starts a node on 127.0.0.1 that writes the first sink stream into OUT and prints {"bytes","ms"};
// `send MULTIADDR FILE` dials it and sends FILE over one stream.
import { createReadStream, createWriteStream } from 'node:fs';
import { multiaddr } from '@multiformats/multiaddr';
import { createBenchLibp2p, SINK_PROTOCOL } from '../../../core/bench/lib/libp2p-node.mjs';

const [mode, a, b] = process.argv.slice(2);
if (mode === 'receive') {
  const node = await createBenchLibp2p();
  await node.handle(SINK_PROTOCOL, async (stream) => {
    const out = createWriteStream(a);
    const t0 = performance.now();
    let bytes = 0;
    for await (const c of stream) {
      const buf = c.subarray ? c.subarray() : c;
      bytes += buf.byteLength;
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
    }
    await new Promise((r) => out.end(r));
    process.stdout.write(`${JSON.stringify({ bytes, ms: performance.now() - t0 })}\n`);
    await node.stop();
    process.exit(0);
  });
  process.stdout.write(`${JSON.stringify({ multiaddr: node.getMultiaddrs()[0].toString() })}\n`);
} else if (mode === 'send') {
  const node = await createBenchLibp2p({ listen: false });
  const stream = await node.dialProtocol(multiaddr(a), SINK_PROTOCOL);
  for await (const chunk of createReadStream(b, { highWaterMark: 256 * 1024 })) {
    if (!stream.send(chunk)) await stream.onDrain();
  }
  await stream.close();
  await node.stop();
  process.exit(0);
}
