export { createLivenessMonitor, type LivenessMonitor, type LivenessOptions } from './liveness-monitor.js';
