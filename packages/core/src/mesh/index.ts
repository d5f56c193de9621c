export { PeerBook, backoffDelay, type PeerRecord, type PeerSource, type BackoffOptions } from './peer-book.js';
export {
  createConnectionManager, type ConnectionManager, type MeshHost, type MeshLimits, type MeshSession,
} from './connection-manager.js';
export { closeVerdict, type CloseVerdict } from './close-policy.js';
export { createPenaltyBox, type Penalty, type PenaltyBox, type PenaltyBoxOptions } from './penalty-box.js';
