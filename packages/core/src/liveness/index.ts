export {
  createLivenessMonitor, type LivenessMonitor, type LivenessOptions, type LivenessSession,
} from './liveness-monitor.js';
