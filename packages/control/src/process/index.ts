export { drained } from './drained.js';
