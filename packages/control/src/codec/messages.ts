/**
 * The control API's messages. The codecs are generated from proto/p2p/control/v1 into core's src/gen (one
 * `npm run generate` for every .proto, drift checked by `npm run check:generated`); this is the only module
 * that reaches into core for them, so daemon and CLI import the control protocol from @p2p/control alone.
 */
import { control, FrameDecoder, frameBytes, type p2p } from '@p2p/core/wire';

/** The generated codecs of package p2p.control.v1 (Request, Response, ErrorCode, ...). */
export const controlCodecs = control;
/** A decoded request. */
export type ControlRequest = p2p.control.v1.Request;
/** A decoded response. */
export type ControlResponse = p2p.control.v1.Response;
/** A request body before encoding: a Request without its id. */
export type RequestBody = Omit<p2p.control.v1.Request.$Properties, 'id'>;
/** A response body before encoding: a Response without its id. */
export type ReplyBody = Omit<p2p.control.v1.Response.$Properties, 'id'>;
/** A response ready to encode, id included. */
export type ResponseProperties = p2p.control.v1.Response.$Properties;
/** A peer table row as sent on the socket. */
export type PeerEntryProperties = p2p.control.v1.IPeerEntry;
/** The wire form of a control error. */
export type ControlErrorMessage = p2p.control.v1.IControlError;
/** The wire form of an inbox entry. */
export type InboxEntryMessage = p2p.control.v1.IInboxEntry;

/** Largest request frame the daemon reads, bytes: a chat line of 64 KiB characters fits with room to spare. */
export const MAX_REQUEST_FRAME = 256 * 1024;
/** Largest response frame either side produces or accepts, bytes; large answers are paged below it. */
export const MAX_RESPONSE_FRAME = 4 * 1024 * 1024;
/** Bytes of rows the daemon puts in one page of a paged answer (the peer table). */
export const PAGE_BYTES = 64 * 1024;

/** Encodes a request as one length-prefixed frame. */
export function encodeRequestFrame(request: p2p.control.v1.Request.$Properties): Uint8Array {
  return frameBytes(control.Request.encode(request).finish(), MAX_REQUEST_FRAME);
}

/** Encodes a response as one length-prefixed frame; throws FrameTooLargeError beyond MAX_RESPONSE_FRAME. */
export function encodeResponseFrame(response: ResponseProperties): Uint8Array {
  return frameBytes(control.Response.encode(response).finish(), MAX_RESPONSE_FRAME);
}

/** Decodes one request frame's payload (throws on bytes that are not a Request). */
export function decodeRequest(payload: Uint8Array): ControlRequest {
  return control.Request.decode(payload);
}

/** Decodes one response frame's payload (throws on bytes that are not a Response). */
export function decodeResponse(payload: Uint8Array): ControlResponse {
  return control.Response.decode(payload);
}

/** Splits a byte stream into frame payloads, refusing any frame above `maxFrameSize`. */
export function createFrameDecoder(maxFrameSize: number): { push(chunk: Uint8Array): Uint8Array[] } {
  return new FrameDecoder({ maxFrameSize });
}

/** Encoded size of one peer row inside a PeersReply (tag and length prefix included), for paging. */
export function peerEntrySize(entry: PeerEntryProperties): number {
  const n = control.PeerEntry.encode(entry).finish().length;
  return n + 1 + (n < 128 ? 1 : n < 16384 ? 2 : 3);
}
