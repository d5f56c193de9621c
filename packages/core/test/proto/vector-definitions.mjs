// The definitions of the golden vectors in proto/vectors/: pure data in the protobuf JSON mapping, shared by the
// generator (generate-vectors.mjs, which writes the files once) and vectors.test.ts (which checks that every file
// matches its definition and every definition has its file).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// Deterministic bytes, so the vectors never change between runs: SHA-256 of a label, cut to length.
const digest = (label) => createHash('sha256').update(label).digest();
const b64 = (buf) => Buffer.from(buf).toString('base64');
const bytes = (label, n) => b64(digest(label).subarray(0, n));
const peer = (name) => bytes(`peer:${name}`, 32);
const msgId = (label) => bytes(`message:${label}`, 16);
const T0 = 1_763_769_600_000; // 2025-11-22T00:00:00Z in ms: above 2^32, so 64-bit varints are exercised.
// A CliqueLineList as CliqueLines carries it (bytes): lines 'first of a paste' (T0 + 14) and 'second of a paste' (T0 + 15).
const LINES_BODY = 'ChkKEGZpcnN0IG9mIGEgcGFzdGUQjpDxxqozChoKEXNlY29uZCBvZiBhIHBhc3RlEI+Q8caqMw==';

const alice = { peerId: peer('alice'), name: 'alice', host: '127.0.0.1', port: 7001, role: 'ROLE_PEER', load: 3, seenAtMs: T0 };
const seed = { peerId: peer('seed'), name: 'seed-1', host: '::1', port: 7000, role: 'ROLE_SEED', load: 12, seenAtMs: T0 + 1500 };
const server = { peerId: peer('server'), name: 'server-a', host: 'server-a.lan', port: 7100, role: 'ROLE_SERVER', load: 1, seenAtMs: T0 + 42 };
const bob = { name: 'bob', peerId: peer('bob'), serverId: peer('server') };
const carol = { name: 'carol', peerId: peer('carol'), serverId: peer('server-b') };
const chat = { text: 'hello, world', fromName: 'alice', sentAtMs: T0 + 7 };
const block = Buffer.alloc(64, 0).map((_, i) => (i * 37 + 11) & 0xff);

// Signed messages come from proto/vectors-signed/ (real signatures over the canonical signed bytes), so the wire
// vectors and the signature vectors describe the same messages.
const signed = (name) => JSON.parse(readFileSync(new URL(`../../../../proto/vectors-signed/${name}.json`, import.meta.url), 'utf8')).json;

// [file name, type, description, message in the protobuf JSON mapping]
const envelopes = [
  ['hello', 'A session opens: every Hello field set.', { hello: { protocolVersion: 1, peerId: peer('alice'), name: 'alice', listenPort: 7001, role: 'ROLE_SERVER', load: 5, instanceId: bytes('instance:alice', 16), agent: 'p2p-toolkit/0.1.0' } }],
  ['goodbye', 'A session closes on purpose.', { goodbye: { reason: 'GOODBYE_REASON_INCOMPATIBLE_VERSION', detail: 'peer speaks 2, we speak 1' } }],
  ['ping', 'Liveness probe with a 64-bit timestamp.', { ping: { nonce: 1234567890123, sentAtMs: T0 } }],
  ['ping.max-safe-nonce', 'The largest 64-bit value the runtime decodes exactly (2^53 - 1).', { ping: { nonce: Number.MAX_SAFE_INTEGER, sentAtMs: 1 } }],
  ['pong', 'Answer to a Ping.', { pong: { nonce: 1234567890123, pingSentAtMs: T0, load: 4 } }],
  ['announce', 'LAN discovery datagram with a full PeerInfo.', { announce: { peer: alice, instanceId: bytes('instance:alice', 16), isReply: true } }],
  ['announce.empty-host', 'An announcement whose host is empty (use the source address).', { announce: { peer: { peerId: peer('alice'), name: 'alice', port: 7001 }, instanceId: bytes('instance:alice', 16) } }],
  ['register', 'A peer registers with a seed.', { register: { peer: alice } }],
  ['register-ack', 'A seed confirms a registration.', { registerAck: { ttlMs: 30000, knownPeers: 17 } }],
  ['peer-list-request', 'Asks a seed for peers, excluding two already known.', { peerListRequest: { limit: 8, exclude: [peer('bob'), peer('carol')] } }],
  ['peer-list', "A seed's list of live peers.", { peerList: { peers: [alice, seed, server] } }],
  ['dead-report', 'Tells a seed that a peer looks dead.', { deadReport: { peerId: peer('bob'), reason: '3 missed pings' } }],
  ['broadcast.chat', 'A chat line for everyone on the broadcast tree.', { broadcast: { messageId: msgId('b1'), origin: peer('alice'), hopCount: 2, maxHops: 16, chat } }],
  ['broadcast.data', 'Opaque application data on the broadcast tree.', { broadcast: { messageId: msgId('b2'), origin: peer('alice'), maxHops: 16, data: b64(Buffer.from([0, 1, 2, 0xfe, 0xff])) } }],
  ['broadcast.chat.unicode', 'A chat line with non-ASCII text (UTF-8 on the wire).', { broadcast: { messageId: msgId('b3'), origin: peer('bob'), maxHops: 8, chat: { text: 'héllo wörld ✓ 😀 "quoted" \\ tab\there', fromName: 'Zoë', sentAtMs: T0 } } }],
  ['broadcast.signed', 'A broadcast with its origin\'s key and signature (fields 20, 21).', { broadcast: signed('broadcast.chat') }],
  ['ihave', 'Plumtree lazy push.', { ihave: { messageIds: [msgId('b1'), msgId('b2'), msgId('b3')], hopCount: 3 } }],
  ['graft', 'Plumtree graft.', { graft: { messageIds: [msgId('b2')] } }],
  ['prune', 'Plumtree prune.', { prune: { messageId: msgId('b1') } }],
  ['direct.chat', 'A direct chat line to one peer.', { direct: { messageId: msgId('d1'), from: peer('alice'), to: peer('bob'), hopCount: 1, maxHops: 8, chat } }],
  ['direct.data', 'Opaque application data to one peer.', { direct: { messageId: msgId('d2'), from: peer('alice'), to: peer('bob'), maxHops: 8, data: b64(Buffer.from('application/octet-stream')) } }],
  ['direct.signed', 'A direct chat line with its author\'s key and signature (fields 20, 21).', { direct: signed('direct.chat') }],
  ['direct.sealed', 'A signed direct whose payload is sealed to the recipient with HPKE (fields 20-23, no payload oneof).', { direct: signed('direct.sealed') }],
  ['direct-ack.signed', 'An acknowledgement with its writer\'s key and signature (fields 20, 21).', { directAck: signed('direct-ack') }],
  ['direct-ack', 'End-to-end acknowledgement of a Direct.', { directAck: { messageId: msgId('d1'), to: peer('alice'), from: peer('bob'), status: 'DIRECT_STATUS_DELIVERED', hopCount: 1 } }],
  ['direct-ack.unreachable', 'A node on the way gave up.', { directAck: { messageId: msgId('d2'), to: peer('alice'), from: peer('carol'), status: 'DIRECT_STATUS_UNREACHABLE', hopCount: 4 } }],
  ['direct-ack.inbox-full', 'The recipient refused to keep the message: its inbox (or the author\'s share of it) is full.', { directAck: { messageId: msgId('d3'), to: peer('alice'), from: peer('bob'), status: 'DIRECT_STATUS_INBOX_FULL', hopCount: 2 } }],
  ['direct-ack.not-stored', 'The recipient could not write the message (disk full).', { directAck: { messageId: msgId('d4'), to: peer('alice'), from: peer('bob'), status: 'DIRECT_STATUS_NOT_STORED' } }],
  ['get', 'A substring file search.', { get: { queryId: msgId('q1'), origin: peer('alice'), query: 'report', hopCount: 1, maxHops: 5 } }],
  ['get.exact', 'An exact-name file search.', { get: { queryId: msgId('q2'), origin: peer('alice'), query: 'docs/report 2025.pdf', exact: true, maxHops: 5 } }],
  ['found', 'A search hit with a 64-bit size.', { found: { queryId: msgId('q1'), peerId: peer('bob'), fileName: 'docs/report 2025.pdf', size: 6_442_450_944, sha256: b64(digest('file:report')), blockSize: 262144, to: peer('alice') } }],
  ['block-request', 'Asks for one block of a file.', { blockRequest: { transferId: msgId('t1'), fileSha256: b64(digest('file:report')), index: 24575, blockSize: 262144 } }],
  ['block-data', 'One (short) block of a file with its hash.', { blockData: { transferId: msgId('t1'), index: 3, data: b64(block), sha256: b64(createHash('sha256').update(block).digest()) } }],
  ['transfer-error', 'A failed transfer step.', { transferError: { transferId: msgId('t1'), code: 'TRANSFER_ERROR_CODE_BAD_INDEX', detail: 'block 24576 is past the end (24576 blocks)' } }],
  ['get.root', 'A search by root (files module): the file with this block layout, whatever its name.', { get: { queryId: msgId('q3'), origin: peer('alice'), maxHops: 5, root: b64(digest('root:report')) } }],
  ['found.signed', 'A signed search hit with root, holder key, name and address (files module).', { found: { queryId: msgId('q1'), peerId: peer('bob'), fileName: 'docs/report 2025.pdf', size: 6_442_450_944, sha256: b64(digest('file:report')), blockSize: 1048576, to: peer('alice'), root: b64(digest('root:report')), publicKey: bytes('key:bob', 32), signature: b64(Buffer.concat([digest('sig:a'), digest('sig:b')])), holderName: 'bob', host: '127.0.0.1', port: 7002, hopCount: 2 } }],
  ['block-request.range', 'Asks for 4 consecutive blocks of the file named by its root (files module).', { blockRequest: { transferId: msgId('t1'), index: 24572, blockSize: 262144, root: b64(digest('root:report')), count: 4 } }],
  ['transfer-error.index', 'A refused block request, naming its first block (files module).', { transferError: { transferId: msgId('t1'), code: 'TRANSFER_ERROR_CODE_CHANGED', detail: 'file changed on disk', index: 7 } }],
  ['hash-list-request', 'Asks for part of a block-hash list (files module).', { hashListRequest: { transferId: msgId('t1'), root: b64(digest('root:report')), first: 16384, count: 16384 } }],
  ['hash-list', 'Part of a block-hash list: two hashes of a 6 GiB file (files module).', { hashList: { transferId: msgId('t1'), root: b64(digest('root:report')), size: 6_442_450_944, blockSize: 1048576, first: 6142, hashes: b64(Buffer.concat([digest('block:6142'), digest('block:6143')])), total: 6144 } }],
  ['clique.server-join', 'A server joins the clique.', { clique: { serverJoin: { server } } }],
  ['clique.roster', "A server's view of servers and clients.", { clique: { roster: { servers: [server, { ...server, peerId: peer('server-b'), name: 'server-b', host: 'server-b.lan', port: 7101 }], clients: [bob, carol] } } }],
  ['clique.client-register', 'A client asks for a name.', { clique: { clientRegister: { name: 'bob' } } }],
  ['clique.client-registered', 'The server accepted the name.', { clique: { clientRegistered: { name: 'bob', online: 2 } } }],
  ['clique.client-registered.budget', 'The name accepted, with the request budget the client paces itself by (fields 20-21).', { clique: { clientRegistered: { name: 'bob', online: 2, linesPerSecond: 50, lineBurst: 199 } } }],
  ['clique.name-taken', 'The server refused the name.', { clique: { nameTaken: { name: 'carol' } } }],
  ['clique.client-joined', 'A client joined somewhere in the clique.', { clique: { clientJoined: { client: bob } } }],
  ['clique.client-left', 'A client left.', { clique: { clientLeft: { name: 'carol', reason: 'server-lost' } } }],
  ['clique.message', 'A chat line routed by name.', { clique: { message: { messageId: msgId('c1'), from: 'bob', to: 'carol', chat: { text: 'hi carol', fromName: 'bob', sentAtMs: T0 + 9 } } } }],
  ['clique.message.everyone', 'A chat line to everyone in the clique.', { clique: { message: { messageId: msgId('c2'), from: 'bob', to: '*', chat: { text: 'hi all', fromName: 'bob', sentAtMs: T0 + 10 } } } }],
  ['clique.who-is-online', 'Who is online: an empty message, still present on the wire.', { clique: { whoIsOnline: {} } }],
  ['clique.online-list', 'The answer to WhoIsOnline.', { clique: { onlineList: { clients: [bob, carol] } } }],
  ['clique.name-claim', 'A server claims a name for one of its clients (claim time and server name are fields 20, 21).', { clique: { nameClaim: { client: { ...bob, claimedAtMs: T0 + 11, serverName: 'server-a' } } } }],
  ['clique.claim-answer', 'Another server grants the claim.', { clique: { claimAnswer: { name: 'bob', peerId: peer('bob'), granted: true } } }],
  ['clique.claim-answer.refused', 'A refusal: granted false is the default, so it is absent from the wire.', { clique: { claimAnswer: { name: 'bob', peerId: peer('bob') } } }],
  ['clique.delivery-report', 'A line was handed to its recipient.', { clique: { deliveryReport: { messageId: msgId('c1'), status: 'CLIQUE_DELIVERY_STATUS_DELIVERED', delivered: 1 } } }],
  ['clique.delivery-report.no-such-client', 'Nobody by that name is online.', { clique: { deliveryReport: { messageId: msgId('c3'), status: 'CLIQUE_DELIVERY_STATUS_NO_SUCH_CLIENT' } } }],
  ['clique.delivery-report.recipient-busy', 'The recipient is online but its session queue is full (enum value 5).', { clique: { deliveryReport: { messageId: msgId('c6'), status: 'CLIQUE_DELIVERY_STATUS_RECIPIENT_BUSY' } } }],
  ['clique.name-taken.lost', 'A simultaneous claim on another server won (reason and detail are fields 20, 21).', { clique: { nameTaken: { name: 'dave', reason: 'lost', detail: 'claimed first on server-b' } } }],
  ['clique.client-left.attachment', 'A client left, naming the attachment (fields 20, 21).', { clique: { clientLeft: { name: 'bob', reason: 'quit', peerId: peer('bob'), serverId: peer('server') } } }],
  ['clique.roster.part', 'The second of several parts of one roster (transfer, part and more are fields 20-22).', { clique: { roster: { clients: [carol], transfer: 7, part: 1, more: true } } }],
  ['clique.who-is-online.page', 'Who is online, the page after a cursor (field 20).', { clique: { whoIsOnline: { after: 'bob' } } }],
  ['clique.online-list.page', 'One page of the names online, with the cursor of the next (fields 20-23).', { clique: { onlineList: { clients: [carol], more: true, next: 'carol', total: 3, after: 'bob' } } }],
  ['clique.message.signed', "A chat line with its author's key and signature (fields 20-22).", { clique: { message: { messageId: msgId('c4'), from: 'bob', to: 'carol', chat: { text: 'signed hi', fromName: 'bob', sentAtMs: T0 + 12 }, authorId: peer('bob'), authorKey: b64(Buffer.concat([digest('key:bob'), digest('key:bob2')]).subarray(0, 59)), signature: b64(Buffer.concat([digest('sig:1'), digest('sig:2')])) } } }],
  ['clique.message.burst', 'A line signed as part of a burst: its place, the burst size and its inclusion path (fields 23-25).', { clique: { message: { messageId: msgId('c5'), from: 'bob', to: 'carol', chat: { text: 'second of three', fromName: 'bob', sentAtMs: T0 + 13 }, authorId: peer('bob'), authorKey: b64(Buffer.concat([digest('key:bob'), digest('key:bob2')]).subarray(0, 59)), signature: b64(Buffer.concat([digest('sig:3'), digest('sig:4')])), batchSize: 3, batchIndex: 1, batchPath: [b64(digest('leaf:0')), b64(digest('leaf:2'))] } } }],
  ['clique.lines', 'A burst: lines one author wrote in one go to one recipient, their CliqueLineList as the signed body (CliqueLines).', { clique: { lines: { batchId: msgId('c6'), from: 'bob', to: 'carol', body: LINES_BODY, authorId: peer('bob'), authorKey: b64(Buffer.concat([digest('key:bob'), digest('key:bob2')]).subarray(0, 59)), signature: b64(Buffer.concat([digest('sig:5'), digest('sig:6')])) } } }],
  ['error', 'A generic protocol error.', { error: { code: 'ERROR_CODE_RATE_LIMITED', message: 'slow down: 200 frames/s' } }],
];

const requests = [
  ['status', 'Who is this daemon.', { id: 1, status: {} }],
  ['peers', 'The peer table.', { id: 2, peers: {} }],
  ['send', 'A direct chat line.', { id: 3, send: { to: 'bob', text: 'hello bob', timeoutMs: 5000 } }],
  ['broadcast', 'A chat line to everyone.', { id: 4, broadcast: { text: 'hello everyone' } }],
  ['inbox', 'Follow the inbox.', { id: 5, inbox: { follow: true, limit: 20 } }],
  ['ping', 'Round-trip time to a peer.', { id: 6, ping: { to: 'carol', timeoutMs: 2000 } }],
  ['peers-page', 'The peer table in pages of at most 100 rows.', { id: 2, peers: { pageSize: 100 } }],
  ['connect', 'Open a session to an address, proving a peer ID.', { id: 7, connect: { address: '127.0.0.2:7070', peerId: 'bobid', timeoutMs: 3000 } }],
  ['contacts', 'List the contacts.', { id: 9, contacts: {} }],
  ['contacts.pin', 'Bind a name to the key of a peer given by a label.', { id: 10, contacts: { action: 'CONTACTS_ACTION_PIN', target: 'bob~7k2q', name: 'bob-laptop' } }],
  ['share', 'Share a directory (files).', { id: 20, share: { dir: '/srv/team' } }],
  ['unshare', 'Stop sharing a directory (files).', { id: 21, unshare: { dir: '/srv/team' } }],
  ['files', 'What this node shares (files).', { id: 22, files: {} }],
  ['search', 'Search by substring with a 3 s window (files).', { id: 23, search: { query: 'report', timeoutMs: 3000 } }],
  ['search.root', 'Search by exact name and root (files).', { id: 23, search: { query: 'report.pdf', exact: true, root: 'ab'.repeat(32) } }],
  ['get', 'Download a file by name from one holder into a directory (files).', { id: 24, get: { target: 'report.pdf', from: 'bob', outputDir: '/tmp/in', timeoutMs: 2000 } }],
  ['downloads', 'List downloads (files).', { id: 25, downloads: {} }],
  ['downloads.resume', 'Resume a download by root prefix (files).', { id: 25, downloads: { resume: 'ab12cd' } }],
  ['downloads.cancel', 'Cancel a download by root prefix (files).', { id: 25, downloads: { cancel: 'ab12cd' } }],
  ['inbox-prune', 'Make room: remove inbox messages older than 7 days, keep at most the newest 1000.', { id: 7, inboxPrune: { olderThanMs: 604800000, keep: 1000 } }],
  ['inbox-prune.all', 'Clear the inbox.', { id: 8, inboxPrune: { all: true } }],
];

const responses = [
  ['error', 'A failed call.', { id: 3, error: { code: 'PEER_NOT_FOUND', message: 'no peer named "bob"' } }],
  ['status', 'Who the daemon is.', { id: 1, status: { peerId: 'ab3dxyzq', name: 'alice', role: 'peer', listen: '127.0.0.1:7001', protocol: 1, peers: 2 } }],
  ['peers', 'The peer table, with a never-measured (negative) RTT.', { id: 2, peers: { peers: [
    { peerId: 'bobid', name: 'bob', address: '127.0.0.2:7001', state: 'connected', rttMs: 12.5, role: 'peer' },
    { peerId: 'seedid', name: 'seed-1', address: '127.0.0.3:7000', state: 'known', rttMs: -1, role: 'seed' },
  ] } }],
  ['send', 'The line arrived.', { id: 3, send: { delivered: true, status: 'delivered', peerId: 'bobid', elapsedMs: 3.25 } }],
  ['broadcast', 'A broadcast left.', { id: 4, broadcast: { messageId: '00112233445566778899aabbccddeeff', sentTo: 3 } }],
  ['inbox-entry', 'One inbox entry.', { id: 5, inboxEntry: { id: '00112233445566778899aabbccddeeff', from: 'bob', fromPeerId: 'bobid', to: '*', kind: 'broadcast', text: 'hi all', receivedAt: '2025-11-22T00:00:00.010Z' } }],
  ['inbox-end', 'End of the stored inbox.', { id: 5, inboxEnd: { count: 1 } }],
  ['ping', 'Round-trip time.', { id: 6, ping: { peerId: 'carolid', rttMs: 0.75 } }],
  ['error-code-enum', 'A failed call with the closed error code beside the string.', { id: 3, error: { code: 'PEER_NOT_FOUND', message: 'bob: no such peer', codeEnum: 'ERROR_CODE_PEER_NOT_FOUND' } }],
  ['status-version', 'Who the daemon is, with its version and uptime.', { id: 1, status: { peerId: 'ab3dxyzq', name: 'alice', role: 'peer', listen: '127.0.0.1:7001', protocol: 1, peers: 2, version: '0.1.0', uptimeSeconds: 42.5 } }],
  ['peers-page', 'One page of a large peer table, more to follow.', { id: 2, peers: { peers: [
    { peerId: 'bobid', name: 'bob', address: '127.0.0.2:7001', state: 'connected', rttMs: 12.5, role: 'peer' },
  ], more: true, total: 10000 } }],
  ['connect', 'The session a connect opened.', { id: 7, connect: { peerId: 'bobid', name: 'bob', elapsedMs: 9.5 } }],
  ['contacts', 'The contact book.', { id: 9, contacts: { contacts: [
    { name: 'bob', peerId: 'bobid', label: 'bob', addedAtMs: T0, lastSeenMs: T0 + 5000, online: true, pinned: true },
    { name: 'carol', peerId: 'carolid', label: 'carol', addedAtMs: T0 + 1 },
  ] } }],
  ['shares', 'The shared directories (files).', { id: 20, shares: { dirs: ['/srv/team', '/home/alice/public'] } }],
  ['files', 'One page of shared files, more to follow (files).', { id: 22, files: { files: [{ share: '/srv/team', name: 'docs/report.pdf', size: 6_442_450_944, root: 'ab'.repeat(32), sha256: 'cd'.repeat(32) }], more: true } }],
  ['search-hit', 'One search answer (files).', { id: 23, searchHit: { peerId: 'bobid', name: 'bob', file: 'docs/report.pdf', size: 6_442_450_944, sha256: 'cd'.repeat(32), root: 'ab'.repeat(32), hops: 1 } }],
  ['search-end', 'The end of a search (files).', { id: 23, searchEnd: { count: 1 } }],
  ['download', 'Progress of a download from two holders (files).', { id: 24, download: { root: 'ab'.repeat(32), path: '/tmp/in/report.pdf', size: 6_442_450_944, bytes: 3_221_225_472, state: 'running', activeSources: 2, sources: ['bobid', 'carolid'], sha256: 'cd'.repeat(32) } }],
  ['download.failed', 'A failed download with its code (files).', { id: 24, download: { root: 'ab'.repeat(32), path: '/tmp/in/report.pdf', size: 100, bytes: 50, state: 'failed', error: 'not enough free space', errorCode: 'NO_SPACE' } }],
  ['downloads', 'The download list (files).', { id: 25, downloads: { downloads: [{ root: 'ab'.repeat(32), path: '/tmp/in/report.pdf', size: 6_442_450_944, bytes: 3_221_225_472, state: 'running', activeSources: 2, sources: ['bobid', 'carolid'], sha256: 'cd'.repeat(32) }] } }],
  ['error.file-not-found', 'Nobody has the file (files).', { id: 24, error: { code: 'FILE_NOT_FOUND', message: 'file not found: report.pdf', codeEnum: 'ERROR_CODE_FILE_NOT_FOUND' } }],
  ['error.transfer-failed', 'A download failed (files).', { id: 24, error: { code: 'TRANSFER_FAILED', message: 'every holder is gone', codeEnum: 'ERROR_CODE_TRANSFER_FAILED' } }],
  ['error.no-space', 'No room for the file (files).', { id: 24, error: { code: 'NO_SPACE', message: 'not enough free space', codeEnum: 'ERROR_CODE_NO_SPACE' } }],
  ['error.share-failed', 'A directory that cannot be shared (files).', { id: 20, error: { code: 'SHARE_FAILED', message: 'cannot share /nope: not a directory', codeEnum: 'ERROR_CODE_SHARE_FAILED' } }],
  ['inbox-prune', 'What a prune removed.', { id: 7, inboxPrune: { removed: 4200, kept: 1000, freedBytes: 268435456 } }],
  ['status.inbox-disk-full', 'Who the daemon is, with its inbox on a full disk.', { id: 1, status: { peerId: 'ab3dxyzq', name: 'alice', role: 'peer', listen: '127.0.0.1:7001', protocol: 1, peers: 2, inbox: {
    messages: 1234, bytes: 5242880, quotaBytes: 268435456, disk: 'full', lastError: 'ENOSPC: no space left on device, write', lastErrorAt: '2025-11-22T00:00:01.000Z', refused: 7, writeFailures: 3,
  } } }],
];

// CliqueLines carries its lines as bytes (the signed body): the CliqueLineList inside gets vectors of its own.
const lineLists = [
  ['paste', 'Two lines of a paste, as the body of a CliqueLines (the bytes its signature covers).', { lines: [{ text: 'first of a paste', sentAtMs: T0 + 14 }, { text: 'second of a paste', sentAtMs: T0 + 15 }] }],
];

/** Every vector: its directory under proto/vectors/, file name, top-level type, description and JSON. */
export const VECTOR_DEFINITIONS = [
  ['v1', 'envelope', 'p2p.v1.Envelope', envelopes],
  ['control', 'request', 'p2p.control.v1.Request', requests],
  ['control', 'response', 'p2p.control.v1.Response', responses],
  ['v1', 'clique-line-list', 'p2p.v1.CliqueLineList', lineLists],
].flatMap(([dir, prefix, type, list]) =>
  list.map(([name, description, json]) => ({ file: `${dir}/${prefix}.${name}.json`, name: `${prefix}.${name}`, type, description, json })),
);

