export { sanitizeText, hasUnsafeCharacters, nameProblem, validateName, MAX_NAME_LENGTH } from './sanitize.js';
