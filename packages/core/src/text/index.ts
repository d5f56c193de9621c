export { sanitizeText, safeJson, hasUnsafeCharacters, nameProblem, validateName, MAX_PEER_NAME_LENGTH } from './sanitize.js';
