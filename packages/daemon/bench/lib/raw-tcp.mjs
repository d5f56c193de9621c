// The raw TCP baseline of the file-transfer bench, as two Node processes: `receive PORTFILE OUT` listens on
// 127.0.0.1, pipes the first connection into OUT and prints {"bytes","ms"} once the file is flushed;
// `send PORT FILE` connects and pipes FILE into the socket.
import { createReadStream, createWriteStream } from 'node:fs';
import net from 'node:net';
import { pipeline } from 'node:stream/promises';

const [mode, a, b] = process.argv.slice(2);
if (mode === 'receive') {
  const server = net.createServer(async (socket) => {
    const t0 = performance.now();
    let bytes = 0;
    socket.on('data', (c) => { bytes += c.length; });
    await pipeline(socket, createWriteStream(b));
    process.stdout.write(`${JSON.stringify({ bytes, ms: performance.now() - t0 })}\n`);
    server.close();
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
} else if (mode === 'send') {
  const socket = net.connect(Number(a), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  await pipeline(createReadStream(b, { highWaterMark: 1024 * 1024 }), socket);
}
