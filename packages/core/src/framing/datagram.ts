import { decodeEnvelope, encodeEnvelope } from '../codec/envelope-codec.js';
import { PROTOCOL_VERSION, SUPPORTED_VERSIONS, type DecodedEnvelope, type Envelope } from '../codec/wire.js';
import { BadMagicError, FrameTooLargeError, TruncatedFrameError, UnsupportedVersionError } from '../errors.js';

/** The 4 bytes every datagram of ours starts with ("p2p" and 0xD1), so stray traffic is dropped unparsed. */
export const DATAGRAM_MAGIC = Uint8Array.of(0x70, 0x32, 0x70, 0xd1);
/** Magic plus version byte. */
export const DATAGRAM_HEADER_SIZE = 5;
/** Largest datagram sent or accepted: one Ethernet MTU's worth, so announcements never fragment. */
export const MAX_DATAGRAM_SIZE = 1400;

/** True when `bytes` starts with the datagram magic: the cheap test for "is this ours". */
export function hasDatagramMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x70 && bytes[1] === 0x32 && bytes[2] === 0x70 && bytes[3] === 0xd1;
}

/** Encodes one envelope as a UDP datagram: magic, version byte, protobuf bytes. */
export function encodeDatagram(envelope: Envelope, version = PROTOCOL_VERSION): Uint8Array {
  const body = encodeEnvelope(envelope);
  const size = DATAGRAM_HEADER_SIZE + body.length;
  if (size > MAX_DATAGRAM_SIZE) throw new FrameTooLargeError(size, MAX_DATAGRAM_SIZE);
  const out = new Uint8Array(size);
  out.set(DATAGRAM_MAGIC, 0);
  out[4] = version;
  out.set(body, DATAGRAM_HEADER_SIZE);
  return out;
}

/** A decoded datagram: its header version and its envelope. */
export interface DecodedDatagram {
  /** Version byte of the header. */
  version: number;
  /** The envelope it carried. */
  envelope: DecodedEnvelope;
}

/** Decodes a UDP datagram; every failure is a typed P2PError (BadMagic, UnsupportedVersion, Malformed...). */
export function decodeDatagram(bytes: Uint8Array): DecodedDatagram {
  if (bytes.length > MAX_DATAGRAM_SIZE) throw new FrameTooLargeError(bytes.length, MAX_DATAGRAM_SIZE);
  if (!hasDatagramMagic(bytes)) throw new BadMagicError();
  if (bytes.length < DATAGRAM_HEADER_SIZE) throw new TruncatedFrameError('datagram ends inside its header');
  const version = bytes[4]!;
  if (!SUPPORTED_VERSIONS.includes(version)) throw new UnsupportedVersionError(version, SUPPORTED_VERSIONS);
  return { version, envelope: decodeEnvelope(bytes.subarray(DATAGRAM_HEADER_SIZE)) };
}
