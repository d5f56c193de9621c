export { matchesFilter, type MessageFilter } from './filters.js';
export { createColors, endpointLabel, tableHeader, tableLine, type Colors } from './format-table.js';
export { countMessage, createMessageCounts, formatStats, statsToJson, peerLabel, type MessageCounts } from './stats-report.js';
export { startInspection, loadCapture, type InspectRun, type InspectRunOptions } from './load-capture.js';
export { runInspectCommand, type InspectCommandOptions } from './inspect-command.js';
export { runCli, EXIT_CODES } from './main.js';
export { LineWriter } from './line-writer.js';
