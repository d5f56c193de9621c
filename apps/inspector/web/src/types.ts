/** One endpoint as the server sends it. */
export interface Endpoint {
  ip: string;
  port: number;
  peerId?: string;
  name?: string;
}

/** One message of /api/messages. */
export interface Message {
  index: number;
  time: string;
  src: Endpoint;
  dst: Endpoint;
  transport: string;
  stream: number;
  type: string;
  fields: Record<string, unknown>;
  direction: string;
  size: number;
  packet: number;
}

/** One message of /api/messages/N, with its bytes. */
export interface MessageDetail extends Message {
  raw: string;
  rawTruncated: boolean;
}

/** The filter controls' values. */
export interface Filter {
  type: string;
  peer: string;
  stream: string;
  text: string;
}
