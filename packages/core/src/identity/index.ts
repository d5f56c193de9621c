export {
  peerIdFromPublicKey, peerIdToString, peerIdFromString, isPeerIdString, shortPeerId,
  PEER_ID_BYTES, PEER_ID_LENGTH,
} from './peer-id.js';
export {
  loadOrCreateIdentity, generateIdentity, identityFromPem, peerIdFromCertificate, KEY_FILE, CERT_FILE,
  type NodeIdentity,
} from './node-identity.js';
export { createMessageSigner, verifyAuthor, type MessageSigner } from './message-signer.js';
