export type { InboundMessage } from './inbound-message.js';
export {
  MESSAGE_ID_BYTES, MAX_CHAT_TEXT_BYTES, oversizedText, newMessageId, toHex, isMessageId, toWirePayload, fromWirePayload, toInboundMessage,
  type WirePayload, type AppPayload,
} from './payload.js';
