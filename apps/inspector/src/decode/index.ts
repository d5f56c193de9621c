export { envelopeFields, type FieldValue } from './fields.js';
export { checkFrameHeader, proveFrameAt, MAX_ENVELOPE_FIELD, type HeaderCheck } from './frame-scan.js';
export { FrameSplitter, type SplitItem, type FrameSplitterOptions } from './frame-splitter.js';
export { Inspector, inspectPackets, type InspectorOptions } from './inspector.js';
export { messageToJson, UNDECODABLE, TLS_RECORD, TLS_ALERT, type InspectedMessage, type MessageEndpoint } from './message.js';
export { PeerDirectory } from './peer-directory.js';
export { createInspectorStats, type InspectorStats } from './stats.js';
export { backfillPeers } from './backfill-peers.js';
export { TcpFlowDecoder, type FlowItem } from './tcp-flow-decoder.js';
