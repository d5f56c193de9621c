/** A host and port; host is an IPv4/IPv6 literal or a name. */
export interface HostPort {
  /** IPv4 or IPv6 literal, or a host name. */
  host: string;
  /** TCP or UDP port. */
  port: number;
}
