import tls from 'node:tls';
import type { DecodedEnvelope, Envelope } from '../src/codec/wire.js';
import { encodeFrame } from '../src/framing/frame-encoder.js';
import { FrameDecoder } from '../src/framing/frame-decoder.js';
import type { NodeIdentity } from '../src/identity/node-identity.js';
import { ALPN_PROTOCOL } from '../src/transport/socket-transport.js';
import type { HostPort } from '../src/transport/host-port.js';

/** A hand-driven TLS client speaking our framing, to send what a well-behaved node never would. */
export interface RawClient {
  socket: tls.TLSSocket;
  frames: DecodedEnvelope[];
  closed: Promise<void>;
  isClosed(): boolean;
  send(envelope: Envelope): boolean;
  write(bytes: Uint8Array): boolean;
}

/** Connects with `identity`'s certificate (mutual TLS 1.3), from `localAddress` if given, and collects every frame received. */
export function rawClient(address: HostPort, identity: NodeIdentity, localAddress?: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: address.host, port: address.port, ...(localAddress ? { localAddress } : {}), key: identity.keyPem, cert: identity.certPem, minVersion: 'TLSv1.3',
      rejectUnauthorized: false, checkServerIdentity: () => undefined, ALPNProtocols: [ALPN_PROTOCOL],
    }, () => {
      socket.off('error', reject);
      resolve(client);
    });
    socket.once('error', reject);
    socket.on('error', () => undefined);
    const frames: DecodedEnvelope[] = [];
    const decoder = new FrameDecoder();
    let closed = false;
    socket.on('data', (chunk: Buffer) => { try { frames.push(...decoder.pushEnvelopes(chunk)); } catch { /* ignore */ } });
    const closedP = new Promise<void>((r) => socket.on('close', () => { closed = true; r(); }));
    const client: RawClient = {
      socket, frames, closed: closedP, isClosed: () => closed,
      send: (env) => socket.write(encodeFrame(env)),
      write: (bytes) => socket.write(bytes),
    };
  });
}
