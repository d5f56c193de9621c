export { Session, goodbyeReasonName, type SessionState } from './session.js';
export { TokenBucket } from './token-bucket.js';
export { DEFAULT_SESSION_OPTIONS, type SessionOptions, type SessionCounters, type SessionHandlers } from './types.js';
export { pickSession, type SessionCandidate } from './pick-session.js';
