/**
 * Names of everything the lab creates. Every namespace starts with `lab` and the pid of the process that made it,
 * so a later run can tell its own leftovers (dead owner) from a lab still running (live owner), and never touches
 * namespaces of anyone else.
 */

/** Prefix of every namespace made by this process. */
export const LAB_PREFIX = `lab${process.pid}`;

/** Matches a lab namespace name and captures the owner's pid. */
const LAB_NAME = /^lab(\d+)(?:b|h\d+|probe)$/;

/** Name of the namespace that holds the bridges. */
export function bridgeNamespace(prefix = LAB_PREFIX): string {
  return `${prefix}b`;
}

/** Name of host `index`'s namespace (1-based). */
export function hostNamespace(index: number, prefix = LAB_PREFIX): string {
  return `${prefix}h${index}`;
}

/** The pid that owns a lab namespace name, or undefined when the name is not a lab's. */
export function labOwner(namespace: string): number | undefined {
  const m = LAB_NAME.exec(namespace);
  return m ? Number(m[1]) : undefined;
}

/** Host `index`'s address (1-based) in the lab subnet 10.77.0.0/16, which exists only inside the lab's namespaces. */
export function hostAddress(index: number): string {
  if (!Number.isInteger(index) || index < 1 || index > 65_000) throw new RangeError(`host index ${index} out of range`);
  return `10.77.${index >> 8}.${index & 255}`;
}

/** Mask of the lab subnet, dotted (its broadcast address is 10.77.255.255). */
export const LAB_MASK = '255.255.0.0';
/** Prefix length of the lab subnet. */
export const LAB_PREFIX_LENGTH = 16;
/** Interface name of a host's link, inside the host's namespace. */
export const HOST_LINK = 'lab0';
