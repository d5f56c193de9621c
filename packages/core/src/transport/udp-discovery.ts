import dgram from 'node:dgram';
import { isIPv4 } from 'node:net';
import { LanDiscoveryError } from '../errors.js';
import type { HostPort } from './host-port.js';
import type { Logger } from '../util/logger.js';
import { inSubnet, subnetBroadcast } from './subnet.js';
import type { DatagramHandler, DiscoveryChannel, DiscoveryChannelOptions } from './types.js';

function bindSocket(port: number, address: string, logger: Logger, onMessage: DatagramHandler): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    // reuseAddr: many nodes on one host (and in tests) share the discovery port.
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    socket.once('error', reject);
    socket.on('message', (msg, rinfo) => onMessage(msg, { host: rinfo.address, port: rinfo.port }));
    socket.bind({ port, address, exclusive: false }, () => {
      socket.off('error', reject);
      socket.on('error', (err) => logger.debug({ err: err.message }, 'discovery socket error'));
      resolve(socket);
    });
  });
}

/**
 * UDP LAN discovery on one interface. Three sockets, because Linux delivers a datagram only to sockets bound to its
 * destination address (or to the wildcard, which would hear every interface): one bound to the subnet broadcast
 * address, one bound to the multicast group (joined on the interface only), and one bound to the interface address
 * that sends everything and receives unicast replies.
 */
export async function openUdpDiscovery(
  options: DiscoveryChannelOptions, onDatagram: DatagramHandler, logger: Logger,
): Promise<DiscoveryChannel> {
  const iface = options.interface;
  if (!isIPv4(iface) || iface === '0.0.0.0') throw new LanDiscoveryError(`needs an IPv4 interface address, got '${iface}'`);
  const sockets: dgram.Socket[] = [];
  const broadcast = options.mask ? subnetBroadcast(iface, options.mask) : undefined;
  try {
    const sender = await bindSocket(0, iface, logger, onDatagram);
    sockets.push(sender);
    sender.setBroadcast(true);
    let group = options.multicastGroup || undefined;
    if (group) {
      try {
        sender.setMulticastInterface(iface);
        sender.setMulticastLoopback(true);
        // TTL 1: announcements never leave the link.
        sender.setMulticastTTL(1);
      } catch (err) {
        logger.warn({ err: (err as Error).message, iface }, 'cannot send multicast on this interface');
        group = undefined;
      }
    }
    // Either way of hearing the LAN is enough: a host whose interface cannot join the group (no MULTICAST flag)
    // still discovers through the subnet broadcast, and the reverse.
    let broadcastOk = false;
    let multicastOk = false;
    if (broadcast) {
      try {
        sockets.push(await bindSocket(options.port, broadcast, logger, onDatagram));
        broadcastOk = true;
      } catch (err) {
        logger.warn({ err: (err as Error).message, broadcast }, 'cannot listen on the subnet broadcast address');
      }
    }
    if (group) {
      try {
        const m = await bindSocket(options.port, group, logger, onDatagram);
        sockets.push(m);
        m.addMembership(group, iface);
        multicastOk = true;
      } catch (err) {
        logger.warn({ err: (err as Error).message, group, iface }, 'cannot join the multicast group');
      }
    }
    if (!broadcastOk && !multicastOk) throw new LanDiscoveryError(`cannot listen for announcements on ${iface} (no broadcast address, no multicast)`);
    const send = (bytes: Uint8Array, host: string, port: number): void => {
      sender.send(bytes, port, host, (err) => { if (err) logger.debug({ err: err.message, host }, 'discovery send failed'); });
    };
    return {
      announce(bytes) {
        if (broadcastOk) send(bytes, broadcast!, options.port);
        if (multicastOk) send(bytes, group!, options.port);
      },
      reply(bytes, to: HostPort) {
        // Only ever answer inside our own subnet: a forged source address must not make us send elsewhere.
        if (to.host === iface || (options.mask && inSubnet(iface, options.mask, to.host))) send(bytes, to.host, to.port);
      },
      async close() {
        await Promise.all(sockets.map((s) => new Promise<void>((resolve) => { try { s.close(() => resolve()); } catch { resolve(); } })));
      },
    };
  } catch (err) {
    for (const s of sockets) try { s.close(); } catch { /* already closed */ }
    throw err;
  }
}
