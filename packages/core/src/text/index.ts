export { sanitizeText, safeJson, hasUnsafeCharacters, nameProblem, validateName, MAX_NAME_LENGTH } from './sanitize.js';
