// The shared test helpers live in src/testing (published as @p2p/core/testing); kept here for the tests' imports.
export { Harness, waitFor, addressOf, type TestNode } from '../src/testing/harness.js';
