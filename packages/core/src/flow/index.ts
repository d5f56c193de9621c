export { createFairQueue, type FairQueue, type FairQueueOptions } from './fair-queue.js';
export { createSenderFairness, type SenderFairness, type SenderFairnessOptions, type SenderFairnessStats } from './sender-fairness.js';
