/** @deprecated Moved to message/payload.ts; kept so imports of the old path keep compiling. */
export {
  MESSAGE_ID_BYTES, MAX_CHAT_TEXT_BYTES, oversizedText, newMessageId, toHex, isMessageId, toWirePayload, fromWirePayload, toInboundMessage,
  type WirePayload, type AppPayload,
} from '../message/payload.js';
