// A clique client that ignores the request budget its server states (the library's client paces itself to it), to
// prove that a server cuts such a client off without delaying anyone else.
import { randomBytes } from 'node:crypto';
import tls from 'node:tls';
import {
  createMessageSigner, encodeFrame, FrameDecoder, PROTOCOL_VERSION, peerIdFromString, signBurst, v1,
  type DecodedEnvelope, type HostPort, type NodeIdentity,
} from '@p2p/core';
import { ALPN_PROTOCOL } from '@p2p/core/wire';

/** What a flooder saw: the frames its server sent, and when its session ended. */
export interface Flooder {
  frames: DecodedEnvelope[];
  closed: Promise<void>;
}

/** Registers `name` on the server at `address`, then writes `lines` signed lines to `to` at once, `perBurst` per burst. */
export function flood(address: HostPort, identity: NodeIdentity, name: string, to: string, lines: number, perBurst: number): Promise<Flooder> {
  const signer = createMessageSigner(identity);
  return new Promise((resolve, reject) => {
    const frames: DecodedEnvelope[] = [];
    const decoder = new FrameDecoder();
    const socket = tls.connect({
      host: address.host, port: address.port, key: identity.keyPem, cert: identity.certPem, minVersion: 'TLSv1.3',
      // Trust comes from the key, not a CA.
      rejectUnauthorized: false, checkServerIdentity: () => undefined, ALPNProtocols: [ALPN_PROTOCOL],
    });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    // Closed before it could register: nothing to flood with.
    void closed.then(() => reject(new Error(`flooder ${name}: closed before it registered`)));
    socket.on('error', reject);
    const send = (env: Parameters<typeof encodeFrame>[0]) => socket.write(encodeFrame(env));
    socket.on('secureConnect', () => send({ hello: {
      protocolVersion: PROTOCOL_VERSION, peerId: peerIdFromString(identity.peerId), name, role: v1.Role.ROLE_PEER, instanceId: randomBytes(16),
    } }));
    socket.on('data', (chunk: Buffer) => {
      for (const env of decoder.pushEnvelopes(chunk)) {
        frames.push(env);
        if (env.hello) send({ clique: { clientRegister: { name } } });
        if (env.clique?.clientRegistered) {
          for (let i = 0; i < lines; i += perBurst) {
            const texts = Array.from({ length: Math.min(perBurst, lines - i) }, (_, k) => ({ text: `spam ${i + k}`, sentAtMs: Date.now() }));
            send({ clique: { lines: signBurst(signer, { batchId: randomBytes(16), from: name, to, lines: texts }) } });
          }
          resolve({ frames, closed });
        }
      }
    });
  });
}
