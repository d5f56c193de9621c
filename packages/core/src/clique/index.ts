export type { CliqueEngine, CliqueEngineInit, CliqueLimits, CliqueServerInfo, CliqueStats } from './types.js';
export { DEFAULT_CLIQUE_LIMITS } from './types.js';
export { createCliqueEngine } from './clique-engine.js';
export { compareClaims, type NameHolder } from './claims.js';
export { checkName, nameKey, looksAlike, MAX_NAME_LENGTH, EVERYONE, type CliqueName } from './names.js';
export { skeleton } from './skeleton.js';
export { BURST_MAX_LINES, BURST_MAX_TEXT_BYTES, decodeBurstBody, encodeBurstBody, scanBurstBody } from './burst-body.js';
export { burstLineCount, burstSigningBytes, signBurst, verifyBurst } from './burst-signing.js';
export { createLineVerifier, LINE_BATCH_MAX, lineBatchSigningBytes, lineProofInBounds, lineSigningBytes, signLine, signLines, verifyLine, type LineVerifier } from './line-signing.js';
export * from './errors.js';
export { gatherOnline, DEFAULT_WHO_MAX_NAMES } from './who-pages.js';
export { startCliqueServer, type CliqueServer, type CliqueServerInit } from './clique-server.js';
export {
  createCliqueClient, type CliqueClient, type CliqueClientInit, type CliqueClientEvents, type CliqueLine,
  type CliqueOnlineEntry, type CliqueSendResult,
} from './clique-client.js';
