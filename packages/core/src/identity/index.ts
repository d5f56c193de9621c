export {
  peerIdFromPublicKey, peerIdToString, peerIdFromString, isPeerIdString, shortPeerId, InvalidPeerIdError,
  PEER_ID_BYTES, PEER_ID_LENGTH,
} from './peer-id.js';
