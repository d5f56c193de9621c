export {
  peerIdFromPublicKey, peerIdToString, peerIdFromString, isPeerIdString, shortPeerId,
  PEER_ID_BYTES, PEER_ID_LENGTH,
} from './peer-id.js';
