export { TcpReassembler, seqDiff, type StreamChunk, type TcpReassemblerOptions } from './tcp-stream.js';
export { FlowTable, endpointKey, type Flow, type Endpoint, type Direction } from './flow-table.js';
