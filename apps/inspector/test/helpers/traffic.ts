import { appendFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { peerIdToString } from '@p2p/core';
import { encodeDatagram, encodeFrame, type Envelope } from '@p2p/core/wire';
import type { TestCert } from './certs.js';

/** A fake peer identity for test traffic. */
export interface TestPeer {
  /** 32-byte peer ID. */
  id: Uint8Array;
  /** Its text form. */
  idText: string;
  /** Its name. */
  name: string;
}

/** Creates a random peer identity. */
export function makePeer(name: string): TestPeer {
  const id = randomBytes(32);
  return { id, idText: peerIdToString(id), name };
}

/** A Hello envelope for a peer. */
export function hello(peer: TestPeer, listenPort = 0): Envelope {
  return { hello: { protocolVersion: 1, peerId: peer.id, name: peer.name, listenPort, role: 1, load: 0, instanceId: randomBytes(8), agent: 'inspector-test' } };
}

/** A broadcast chat line. */
export function chat(origin: TestPeer, text: string): Envelope {
  return { broadcast: { messageId: randomBytes(16), origin: origin.id, hopCount: 0, maxHops: 8, chat: { text, fromName: origin.name, sentAtMs: 1_700_000_000_000 } } };
}

/** A session script: envelopes the client sends and the server answers, interleaved. */
export interface SessionScript {
  /** Envelopes sent by the dialling side, in order. */
  client: Envelope[];
  /** Envelopes sent by the listening side, in order. */
  server: Envelope[];
}

interface Pair {
  client: net.Socket;
  server: net.Socket;
  close(): Promise<void>;
}

async function waitForBytes(socket: net.Socket, bytes: number): Promise<void> {
  let got = 0;
  await new Promise<void>((resolve, reject) => {
    if (bytes === 0) return resolve();
    const onData = (d: Buffer): void => {
      got += d.length;
      if (got >= bytes) {
        socket.off('data', onData);
        socket.off('error', reject);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

async function runScript(pair: Pair, script: SessionScript): Promise<void> {
  // Send in lockstep, one envelope each way at a time, waiting until the other side received it, so the order
  // on the wire is known. Each write is a separate segment.
  const n = Math.max(script.client.length, script.server.length);
  for (let i = 0; i < n; i++) {
    const c = script.client[i];
    if (c) {
      const frame = encodeFrame(c);
      const got = waitForBytes(pair.server, frame.length);
      pair.client.write(frame);
      await got;
    }
    const s = script.server[i];
    if (s) {
      const frame = encodeFrame(s);
      const got = waitForBytes(pair.client, frame.length);
      pair.server.write(frame);
      await got;
    }
  }
}

// Both session kinds end the same way: the script, then a clean close from the client side, then the server.
async function runAndClose(server: net.Server, client: net.Socket, serverSide: net.Socket, script: SessionScript): Promise<void> {
  await runScript({ client, server: serverSide, close: async () => {} }, script);
  client.end();
  await new Promise((r) => serverSide.once('end', r));
  serverSide.end();
  await new Promise<void>((r) => server.close(() => r()));
}

/** Runs a plain TCP session on 127.0.0.1:`port`. */
export async function plainSession(port: number, script: SessionScript, host = '127.0.0.1'): Promise<void> {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  await new Promise<void>((r) => server.listen(port, host, r));
  const client = net.connect(port, host);
  await new Promise((r) => client.once('connect', r));
  await runAndClose(server, client, await accepted, script);
}

/** Runs a mutually authenticated TLS 1.3 session, appending the client's key log lines to `keylogFile`. */
export async function tlsSession(port: number, script: SessionScript, certs: { server: TestCert; client: TestCert }, keylogFile: string, ciphersuites?: string): Promise<void> {
  const server = tls.createServer({
    cert: certs.server.cert,
    key: certs.server.key,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.3',
    ...(ciphersuites ? { ciphersuites } : {}),
  });
  const accepted = new Promise<tls.TLSSocket>((r) => server.once('secureConnection', r));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const client = tls.connect({
    port,
    host: '127.0.0.1',
    cert: certs.client.cert,
    key: certs.client.key,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.3',
    ...(ciphersuites ? { ciphersuites } : {}),
  });
  client.on('keylog', (line) => appendFileSync(keylogFile, line));
  await new Promise((r) => client.once('secureConnect', r));
  await runAndClose(server, client, await accepted, script);
}

/** Sends datagrams to 127.0.0.1:`port` from a socket bound to 127.0.0.1, spaced a little apart. */
export async function sendDatagrams(port: number, envelopes: Envelope[]): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  for (const e of envelopes) {
    await new Promise<void>((resolve, reject) => socket.send(encodeDatagram(e), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  }
  socket.close();
}

/** A free TCP/UDP port on 127.0.0.1 (best effort: asks the kernel for one and releases it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
