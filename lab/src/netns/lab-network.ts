/**
 * A lab network: N hosts, each a network namespace with one veth link to a bridge that lives in its own namespace.
 * Addresses exist only inside these namespaces (10.77.0.0/16), so nothing the hosts send can leave the lab.
 * Link faults act on the bridge side of a host's link, so the host itself is never reconfigured: cut/restore set
 * the port down/up, partition moves ports to a second bridge, shape adds a tbf qdisc on both ends of the link.
 */
import { LabUsageError } from '../errors.js';
import { ip, tc } from './ip.js';
import { findLeftovers, removeNamespaces, type Leftovers } from './leftovers.js';
import { bridgeNamespace, HOST_LINK, hostAddress, hostNamespace, LAB_MASK, LAB_PREFIX, LAB_PREFIX_LENGTH } from './naming.js';

/** One host of the lab. */
export interface LabHost {
  /** 1-based index. */
  index: number;
  /** Its network namespace. */
  namespace: string;
  /** Its address on the lab subnet. */
  address: string;
  /** Its interface (inside its namespace). */
  link: string;
  /** The bridge port its link is plugged into (inside the bridge namespace). */
  port: string;
}

/** A lab network and its link faults. */
export interface LabNetwork {
  /** The hosts, index order. */
  readonly hosts: readonly LabHost[];
  /** Mask of the subnet, dotted. */
  readonly mask: string;
  /** Unplugs a host's link (its port goes down: nothing in or out). */
  cut(host: LabHost): Promise<void>;
  /** Plugs it back. */
  restore(host: LabHost): Promise<void>;
  /** Moves `side` to a second bridge: the two sides can no longer reach each other. */
  partition(side: readonly LabHost[]): Promise<void>;
  /** Puts every host back on the main bridge. */
  heal(): Promise<void>;
  /** Limits a host's link to `kbit` kbit/s in both directions (tbf). */
  shape(host: LabHost, kbit: number): Promise<void>;
  /** Removes the limit. */
  unshape(host: LabHost): Promise<void>;
  /** Deletes every namespace (and so every link and bridge) of the lab, killing what runs inside; returns leftovers. */
  destroy(): Leftovers;
}

/** Options of createLabNetwork. */
export interface LabNetworkInit {
  /** Number of hosts (1..250). */
  hosts: number;
  /** Namespace name prefix; default `lab<pid>`. */
  prefix?: string;
}

const MAIN_BRIDGE = 'br0';
const SPLIT_BRIDGE = 'br1';
/** Hosts are set up this many at a time (each is a handful of `ip` processes). */
const SETUP_PARALLEL = 8;

/** Creates the network; on any failure, removes whatever it had created and rethrows. */
export async function createLabNetwork(init: LabNetworkInit): Promise<LabNetwork> {
  if (!Number.isInteger(init.hosts) || init.hosts < 1 || init.hosts > 250) throw new LabUsageError(`hosts must be 1..250, not ${init.hosts}`);
  const prefix = init.prefix ?? LAB_PREFIX;
  const bridgeNs = bridgeNamespace(prefix);
  const hosts: LabHost[] = Array.from({ length: init.hosts }, (_, i) => ({
    index: i + 1, namespace: hostNamespace(i + 1, prefix), address: hostAddress(i + 1), link: HOST_LINK, port: `p${i + 1}`,
  }));
  const created: string[] = [];
  const destroy = (): Leftovers => removeNamespaces(created.splice(0));
  try {
    // Leftovers of a lab process that died without cleaning up go first (never those of a lab still running).
    removeNamespaces(findLeftovers(-1).namespaces);
    await ip('netns', 'add', bridgeNs);
    created.push(bridgeNs);
    for (const br of [MAIN_BRIDGE, SPLIT_BRIDGE]) {
      // No multicast snooping: LAN discovery's multicast group must reach every port, joined or not.
      await ip('-n', bridgeNs, 'link', 'add', br, 'type', 'bridge', 'mcast_snooping', '0');
      await ip('-n', bridgeNs, 'link', 'set', br, 'up');
    }
    for (let i = 0; i < hosts.length; i += SETUP_PARALLEL) {
      await Promise.all(hosts.slice(i, i + SETUP_PARALLEL).map(async (h) => {
        await ip('netns', 'add', h.namespace);
        created.push(h.namespace);
        // Made inside the bridge namespace with its peer sent straight into the host: nothing appears outside the lab.
        await ip('-n', bridgeNs, 'link', 'add', h.port, 'type', 'veth', 'peer', 'name', h.link, 'netns', h.namespace);
        await ip('-n', bridgeNs, 'link', 'set', h.port, 'master', MAIN_BRIDGE, 'up');
        await ip('-n', h.namespace, 'addr', 'add', `${h.address}/${LAB_PREFIX_LENGTH}`, 'dev', h.link);
        await ip('-n', h.namespace, 'link', 'set', h.link, 'up');
        await ip('-n', h.namespace, 'link', 'set', 'lo', 'up');
      }));
    }
  } catch (err) {
    destroy();
    throw err;
  }

  const shaped = new Set<LabHost>();
  return {
    hosts,
    mask: LAB_MASK,
    async cut(h) {
      await ip('-n', bridgeNs, 'link', 'set', h.port, 'down');
    },
    async restore(h) {
      await ip('-n', bridgeNs, 'link', 'set', h.port, 'up');
    },
    async partition(side) {
      for (const h of side) await ip('-n', bridgeNs, 'link', 'set', h.port, 'master', SPLIT_BRIDGE);
    },
    async heal() {
      for (const h of hosts) await ip('-n', bridgeNs, 'link', 'set', h.port, 'master', MAIN_BRIDGE);
    },
    async shape(h, kbit) {
      if (!(kbit > 0)) throw new LabUsageError(`rate must be positive, not ${kbit}`);
      const burst = `${Math.max(4, Math.ceil(kbit / 8 / 100))}kb`; // about 10 ms of traffic, at least 4 KB
      await tc('-n', h.namespace, 'qdisc', 'replace', 'dev', h.link, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', burst, 'latency', '200ms');
      await tc('-n', bridgeNs, 'qdisc', 'replace', 'dev', h.port, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', burst, 'latency', '200ms');
      shaped.add(h);
    },
    async unshape(h) {
      if (!shaped.delete(h)) return;
      await tc('-n', h.namespace, 'qdisc', 'del', 'dev', h.link, 'root');
      await tc('-n', bridgeNs, 'qdisc', 'del', 'dev', h.port, 'root');
    },
    destroy,
  };
}
