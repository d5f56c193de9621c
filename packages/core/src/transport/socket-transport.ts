import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { DialError, HandshakeTimeoutError, IdentityMismatchError, ListenError } from '../errors.js';
import { rememberPublicKey } from '../identity/message-signer.js';
import { peerIdFromCertificate } from '../identity/node-identity.js';
import { connectionKey, createHandshakeGate } from './handshake-gate.js';
import { formatHostPort, type HostPort } from './host-port.js';
import type {
  DialOptions, Transport, TransportConnection, TransportContext, TransportFactory, TransportListener,
} from './types.js';
import { openUdpDiscovery } from './udp-discovery.js';
import { createReadRelay, relayAccepted, type ReadRelay } from './read-relay.js';

const DEFAULT_DIAL_TIMEOUT_MS = 5000;

/** ALPN protocol name of our sessions, so a stray TLS client of something else is refused at handshake. */
export const ALPN_PROTOCOL = 'p2p/1';

function hostPort(address: string | undefined, port: number | undefined): HostPort {
  return { host: (address ?? '').replace(/^::ffff:/, ''), port: port ?? 0 };
}

function tuneSocket(socket: net.Socket): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 10_000);
}

/** Real sockets: TLS 1.3 with mutual certificate authentication (or plaintext TCP in insecure mode), UDP discovery. */
export function createSocketTransport(context: TransportContext): Transport {
  const { identity, insecure, logger } = context;
  const handshakeTimeoutMs = context.handshakeTimeoutMs ?? 5000;
  let keylog: WriteStream | undefined;
  if (context.keylogFile && !insecure) {
    keylog = createWriteStream(context.keylogFile, { flags: 'a', mode: 0o600 });
    keylog.on('error', (err) => logger.warn({ err: err.message }, 'cannot write the TLS key log'));
  }
  const writeKeylog = (line: Buffer): void => { keylog?.write(line); };
  const secureOptions = {
    key: identity.keyPem,
    cert: identity.certPem,
    minVersion: 'TLSv1.3' as const,
    ALPNProtocols: [ALPN_PROTOCOL],
  };
  // Built once: passing key and cert to every tls.connect parses the PEM and builds a new context per dial,
  // which was most of the cost of a session's setup.
  const clientContext = insecure ? undefined : tls.createSecureContext(secureOptions);

  // Self-signed certificates are the point: trust comes from the key's hash being the peer ID, checked after the
  // handshake (TLS 1.3 CertificateVerify has proven the peer holds the private key of the certificate it sent).
  function authenticatedPeer(socket: tls.TLSSocket): { peerId: string; publicKey: Uint8Array } | undefined {
    const cert = socket.getPeerX509Certificate();
    if (!cert || !cert.verify(cert.publicKey)) return undefined;
    const publicKey = new Uint8Array(cert.publicKey.export({ type: 'spki', format: 'der' }));
    rememberPublicKey(publicKey, cert.publicKey);
    return { peerId: peerIdFromCertificate(cert), publicKey };
  }

  async function listen(address: HostPort, onConnection: (c: TransportConnection) => void): Promise<TransportListener> {
    let server: net.Server;
    if (insecure) {
      server = net.createServer((socket) => {
        tuneSocket(socket);
        onConnection({ stream: socket, direction: 'inbound', remote: hostPort(socket.remoteAddress, socket.remotePort) });
      });
    } else {
      const tlsServer = tls.createServer({ ...secureOptions, requestCert: true, rejectUnauthorized: false, handshakeTimeout: handshakeTimeoutMs });
      // TLS handshakes cost CPU before any session exists: cap how many run at once (handshake-gate.ts).
      const gate = createHandshakeGate({ max: context.maxPendingHandshakes ?? 64, perAddress: context.maxPendingHandshakesPerAddress });
      tlsServer.on('connection', (raw: net.Socket) => gate.admit(raw));
      tlsServer.on('secureConnection', (socket) => {
        gate.done(connectionKey(socket));
        const proof = authenticatedPeer(socket);
        const peerId = proof?.peerId;
        if (!peerId) {
          logger.debug({ remote: socket.remoteAddress }, 'inbound TLS connection without a usable certificate');
          socket.destroy();
          return;
        }
        tuneSocket(socket);
        onConnection({
          stream: socket, direction: 'inbound', remote: hostPort(socket.remoteAddress, socket.remotePort), authenticatedPeerId: peerId,
          authenticatedPublicKey: proof.publicKey, readInto: relayAccepted(socket)?.readInto,
        });
      });
      tlsServer.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'inbound TLS handshake failed'));
      if (keylog) tlsServer.on('keylog', writeKeylog);
      server = tlsServer;
    }
    server.maxConnections = 4096;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => reject(new ListenError(`${address.host}:${address.port}`, err.message, { cause: err }));
      server.once('error', fail);
      server.listen(address.port, address.host, () => { server.off('error', fail); resolve(); });
    });
    server.on('error', (err) => logger.warn({ err: err.message }, 'listener error'));
    const bound = server.address() as net.AddressInfo;
    return {
      address: { host: bound.address, port: bound.port },
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  function dial(address: HostPort, options: DialOptions = {}): Promise<TransportConnection> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
    const target = formatHostPort(address);
    return new Promise<TransportConnection>((resolve, reject) => {
      let socket: net.Socket;
      const fail = (err: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      const timer = setTimeout(() => fail(new DialError(target, 'timed out', { cause: new HandshakeTimeoutError(timeoutMs) })), timeoutMs);
      if (insecure) {
        socket = net.connect({ host: address.host, port: address.port }, () => {
          clearTimeout(timer);
          socket.removeAllListeners('error');
          tuneSocket(socket);
          resolve({ stream: socket, direction: 'outbound', remote: hostPort(socket.remoteAddress, socket.remotePort) });
        });
      } else {
        // Read through one reused buffer: a dialled session is often the one downloading (see readInto).
        const relay = createReadRelay(() => s.destroy());
        // `onread` is a documented option of tls.connect (without `socket`) that @types/node leaves out.
        const connectOptions: tls.ConnectionOptions & { onread: ReadRelay['onread'] } = {
          secureContext: clientContext, minVersion: secureOptions.minVersion, ALPNProtocols: secureOptions.ALPNProtocols,
          host: address.host, port: address.port, rejectUnauthorized: false,
          checkServerIdentity: () => undefined, onread: relay.onread,
        };
        const s = tls.connect(connectOptions, () => {
          const proof = authenticatedPeer(s);
          const peerId = proof?.peerId;
          if (!proof || !peerId) return fail(new DialError(target, 'the peer presented no usable certificate'));
          if (options.expectedPeerId && peerId !== options.expectedPeerId) {
            return fail(new IdentityMismatchError(options.expectedPeerId, peerId, `at ${target}`));
          }
          clearTimeout(timer);
          s.removeAllListeners('error');
          tuneSocket(s);
          resolve({
            stream: s, direction: 'outbound', remote: hostPort(s.remoteAddress, s.remotePort), authenticatedPeerId: peerId,
            authenticatedPublicKey: proof.publicKey, readInto: relay.readInto,
          });
        });
        if (keylog) s.on('keylog', writeKeylog);
        socket = s;
      }
      socket.once('error', (err) => fail(new DialError(target, err.message, { cause: err })));
    });
  }

  return {
    secure: !insecure,
    listen,
    dial,
    openDiscovery: (options, onDatagram) => openUdpDiscovery(options, onDatagram, logger),
    close: async () => {
      if (keylog) await new Promise<void>((resolve) => keylog!.end(() => resolve()));
      keylog = undefined;
    },
  };
}

/** The default transport factory: real sockets. */
export const socketTransport: TransportFactory = createSocketTransport;
