/** Counters of one inspection run. */
export interface InspectorStats {
  /** Packets read from the capture. */
  packets: number;
  /** Frames that carried something other than IP (ARP...). */
  notIp: number;
  /** Packets whose IP/TCP/UDP headers were damaged. */
  damaged: number;
  /** IP fragments (not reassembled). */
  fragments: number;
  /** TCP segments seen. */
  tcpSegments: number;
  /** UDP datagrams seen. */
  udpDatagrams: number;
  /** UDP datagrams without our magic. */
  foreignDatagrams: number;
  /** TCP streams that never carried a frame of ours. */
  foreignStreams: number;
  /** TCP streams carrying TLS. */
  tlsStreams: number;
  /** TLS records that failed to decrypt. */
  decryptFailures: number;
  /** Retransmitted TCP payload bytes dropped. */
  retransmittedBytes: number;
  /** TCP bytes the capture missed (holes in sequence space). */
  missingBytes: number;
  /** Bytes skipped while resynchronising on frames. */
  skippedBytes: number;
  /** Items output. */
  messages: number;
  /** Items output as undecodable. */
  undecodable: number;
}

/** Fresh zeroed counters. */
export function createInspectorStats(): InspectorStats {
  return {
    packets: 0, notIp: 0, damaged: 0, fragments: 0, tcpSegments: 0, udpDatagrams: 0, foreignDatagrams: 0,
    foreignStreams: 0, tlsStreams: 0, decryptFailures: 0, retransmittedBytes: 0, missingBytes: 0, skippedBytes: 0,
    messages: 0, undecodable: 0,
  };
}
