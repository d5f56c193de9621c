export { Session, goodbyeReasonName } from './session.js';
export { TokenBucket } from './token-bucket.js';
export {
  DEFAULT_SESSION_OPTIONS, type SessionOptions, type SessionCounters, type SessionHandlers, type SessionState, type PeerSession,
} from './types.js';
export { pickSession, type SessionCandidate } from './pick-session.js';
