import { createHash } from 'node:crypto';
import { INBOX_KINDS, type InboxEntry } from '@p2p/control';

export type { InboxKind } from '@p2p/control';

/** One received message as stored in the inbox: @p2p/control's InboxEntry, the one type daemon and CLI share. */
export type InboxRecord = InboxEntry;

const KINDS: readonly string[] = INBOX_KINDS;

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

/** Encodes a record as one line of the inbox file: a checksum of the JSON, a space, the JSON, a newline. */
export function encodeInboxRecord(record: InboxRecord): string {
  const json = JSON.stringify({
    id: record.id, from: record.from, fromPeerId: record.fromPeerId, to: record.to, kind: record.kind,
    text: record.text, receivedAt: record.receivedAt,
  });
  return `${checksum(json)} ${json}\n`;
}

/** Decodes one line (without its newline); undefined when it is torn, corrupted or not a record. */
export function decodeInboxRecord(line: string): InboxRecord | undefined {
  const space = line.indexOf(' ');
  if (space !== 16) return undefined;
  const json = line.slice(17);
  if (checksum(json) !== line.slice(0, 16)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const r = value as Record<string, unknown>;
  const strings = ['id', 'from', 'fromPeerId', 'to', 'text', 'receivedAt'];
  if (typeof r !== 'object' || r === null || !strings.every((k) => typeof r[k] === 'string') || !KINDS.includes(r.kind as string)) {
    return undefined;
  }
  return r as unknown as InboxRecord;
}
