export { TlsRecordReader, isRecordHeader, hasRecordPair, contentTypeName, alertName, ContentType, MAX_RECORD_PAYLOAD, type TlsRecord, type RecordItem } from './tls-record.js';
export { hkdfExpand, hkdfExpandLabel, deriveTrafficKeys, nextTrafficSecret, recordNonce, CIPHER_SUITES, type CipherSuite, type TrafficKeys } from './tls13-keys.js';
export { openRecord, DirectionCipher, type DecryptedRecord } from './tls-decrypt.js';
export { parseKeyLog, createKeyLog, openKeyLogFile, type KeyLog, type ConnectionSecrets } from './key-log.js';
export { HandshakeBuffer, HandshakeType, clientRandomOf, parseServerHello, type ServerHelloInfo, type HandshakeMessage } from './tls-handshake.js';
export { TlsSession, type TlsOutput } from './tls-session.js';
