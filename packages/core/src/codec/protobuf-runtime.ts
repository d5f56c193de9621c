import protobuf from 'protobufjs/minimal.js';

// 64-bit fields decode to plain numbers rather than Long objects: every 64-bit value in the protocol
// (timestamps, sizes, nonces) stays below 2^53. This must run before the generated module is evaluated,
// because it reads util.Long while building message prototypes; codec/wire.ts imports this file first.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

/** The configured protobufjs runtime, shared with the generated codecs. */
export const protobufRuntime = protobuf;
