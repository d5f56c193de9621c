/** A host and port; host is an IPv4/IPv6 literal or a name. */
export interface HostPort {
  /** IPv4 or IPv6 literal, or a host name. */
  host: string;
  /** TCP or UDP port. */
  port: number;
}

/** HOST:PORT as people and configs write it: an IPv6 literal in brackets ([::1]:7070), anything else as it is. */
export function formatHostPort(address: HostPort): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
