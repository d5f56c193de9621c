import { CorruptCaptureError, UnknownCaptureFormatError } from '../errors.js';
import { ChunkBuffer } from './chunk-buffer.js';
import type { CapturedPacket, CaptureParser } from './types.js';

/** Block type of the pcapng Section Header Block, also the file's first 4 bytes. */
export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB = 0x00000001;
const SPB = 0x00000003;
const EPB = 0x00000006;
const OBSOLETE_PACKET = 0x00000002;
const MAX_BLOCK = 16 * 1024 * 1024;
// Block types a resynchronisation may land on: section, interface, packets, name resolution, statistics, secrets.
const KNOWN_BLOCKS = new Set([PCAPNG_SHB, IDB, 2, SPB, 4, 5, EPB, 0x0a]);

/** True when the first 4 bytes are a pcapng Section Header Block. */
export function isPcapngMagic(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x0a && head[1] === 0x0d && head[2] === 0x0d && head[3] === 0x0a;
}

interface InterfaceInfo {
  linkType: number;
  // Timestamp units per second and the offset added to every timestamp (if_tsresol, if_tsoffset).
  unitsPerSecond: bigint;
  offsetSeconds: bigint;
}

/**
 * Streaming parser of pcapng: several sections and interfaces, each interface with its own link type and
 * timestamp resolution. Unknown block types are skipped, as the format intends.
 */
export class PcapngParser implements CaptureParser {
  private readonly buffer = new ChunkBuffer();
  private littleEndian = true;
  private started = false;
  private interfaces: InterfaceInfo[] = [];
  private count = 0;
  private resyncing = false;
  /** Damaged blocks skipped over (the parser resynchronised after each). */
  damagedRecords = 0;
  /** Bytes skipped while searching for the next block. */
  skippedBytes = 0;

  get pendingBytes(): number {
    return this.buffer.length;
  }

  push(chunk: Uint8Array): CapturedPacket[] {
    this.buffer.append(chunk);
    const out: CapturedPacket[] = [];
    for (;;) {
      if (this.resyncing && !this.resync()) break;
      const head = this.buffer.peek(12);
      if (!head) break;
      const view = new DataView(head.buffer, head.byteOffset, 12);
      const type = view.getUint32(0, this.littleEndian);
      if (type === PCAPNG_SHB || !this.started) {
        if (view.getUint32(0, false) !== PCAPNG_SHB) throw new UnknownCaptureFormatError('no pcapng section header');
        // The byte-order magic decides how this whole section (including its own length) is read.
        const bom = view.getUint32(8, true);
        if (bom === BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (view.getUint32(8, false) === BYTE_ORDER_MAGIC) this.littleEndian = false;
        else throw new CorruptCaptureError('pcapng section header has no byte-order magic');
      }
      const length = view.getUint32(4, this.littleEndian);
      if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK) {
        if (!this.started) throw new CorruptCaptureError(`pcapng block of type 0x${type.toString(16)} has length ${length}`);
        this.startResync();
        continue;
      }
      const block = this.buffer.peek(length);
      if (!block) break;
      if (new DataView(block.buffer, block.byteOffset + length - 4, 4).getUint32(0, this.littleEndian) !== length) {
        this.startResync(); // the trailing copy of the length disagrees: a damaged block
        continue;
      }
      this.buffer.take(length);
      let packet: CapturedPacket | undefined;
      try {
        packet = this.readBlock(block);
      } catch (err) {
        if (!(err instanceof CorruptCaptureError) || type === PCAPNG_SHB) throw err;
        this.damagedRecords++; // a block whose inside is inconsistent: skip it, the next one is intact
      }
      if (packet) out.push(packet);
    }
    return out;
  }

  private startResync(): void {
    this.resyncing = true;
    this.damagedRecords++;
    this.buffer.take(4); // blocks are 4-byte aligned: look for the next one from the next word
  }

  // Skips words until a block of a known type whose leading and trailing lengths agree. False: need more bytes.
  private resync(): boolean {
    for (;;) {
      const head = this.buffer.peek(8);
      if (!head) return false;
      const view = new DataView(head.buffer, head.byteOffset, 8);
      const type = view.getUint32(0, this.littleEndian);
      const length = view.getUint32(4, this.littleEndian);
      if (KNOWN_BLOCKS.has(type) && length >= 12 && length % 4 === 0 && length <= MAX_BLOCK) {
        const block = this.buffer.peek(length);
        if (!block) return this.buffer.length > MAX_BLOCK + 8 ? this.skipWord() : false;
        if (new DataView(block.buffer, block.byteOffset + length - 4, 4).getUint32(0, this.littleEndian) === length) {
          this.resyncing = false;
          return true;
        }
      }
      this.skipWord();
    }
  }

  private skipWord(): boolean {
    this.buffer.take(4);
    this.skippedBytes += 4;
    return true;
  }

  end(): string | undefined {
    if (!this.started && this.buffer.length === 0) return 'empty file';
    if (this.resyncing && this.buffer.length > 0) return `damaged end of file (${this.buffer.length} bytes not a block)`;
    return this.buffer.length > 0 ? `file ends inside a pcapng block (${this.buffer.length} bytes left)` : undefined;
  }

  private readBlock(block: Uint8Array): CapturedPacket | undefined {
    const le = this.littleEndian;
    const view = new DataView(block.buffer, block.byteOffset, block.length);
    const type = view.getUint32(0, le);
    const body = block.subarray(8, block.length - 4);
    const bodyView = new DataView(body.buffer, body.byteOffset, body.length);
    switch (type) {
      case PCAPNG_SHB:
        this.started = true;
        this.interfaces = []; // interface IDs are per section
        return undefined;
      case IDB: {
        if (body.length < 8) throw new CorruptCaptureError('interface description block too short');
        const linkType = bodyView.getUint16(0, le);
        const info: InterfaceInfo = { linkType, unitsPerSecond: 1_000_000n, offsetSeconds: 0n };
        this.readInterfaceOptions(body.subarray(8), info);
        this.interfaces.push(info);
        return undefined;
      }
      case EPB:
      case OBSOLETE_PACKET: {
        if (body.length < 20) throw new CorruptCaptureError('packet block too short');
        const interfaceId = type === EPB ? bodyView.getUint32(0, le) : bodyView.getUint16(0, le);
        const high = bodyView.getUint32(4, le);
        const low = bodyView.getUint32(8, le);
        const capLen = bodyView.getUint32(12, le);
        const origLen = bodyView.getUint32(16, le);
        if (20 + capLen > body.length) throw new CorruptCaptureError(`packet block claims ${capLen} bytes`);
        const iface = this.interfaces[interfaceId];
        if (!iface) throw new CorruptCaptureError(`packet on undeclared interface ${interfaceId}`);
        const units = (BigInt(high) << 32n) | BigInt(low);
        const seconds = units / iface.unitsPerSecond;
        const rest = units % iface.unitsPerSecond;
        return {
          number: ++this.count,
          time: {
            seconds: Number(seconds + iface.offsetSeconds),
            nanos: Number((rest * 1_000_000_000n) / iface.unitsPerSecond),
          },
          linkType: iface.linkType,
          interfaceId,
          originalLength: origLen,
          data: body.subarray(20, 20 + capLen),
        };
      }
      case SPB: {
        const iface = this.interfaces[0];
        if (!iface || body.length < 4) throw new CorruptCaptureError('simple packet block without interface');
        const origLen = bodyView.getUint32(0, le);
        return {
          number: ++this.count,
          time: { seconds: 0, nanos: 0 },
          linkType: iface.linkType,
          interfaceId: 0,
          originalLength: origLen,
          data: body.subarray(4, 4 + Math.min(origLen, body.length - 4)),
        };
      }
      default:
        return undefined; // name resolution, statistics, custom blocks: nothing to decode
    }
  }

  private readInterfaceOptions(options: Uint8Array, info: InterfaceInfo): void {
    const le = this.littleEndian;
    const view = new DataView(options.buffer, options.byteOffset, options.length);
    let offset = 0;
    while (offset + 4 <= options.length) {
      const code = view.getUint16(offset, le);
      const len = view.getUint16(offset + 2, le);
      const value = offset + 4 + len <= options.length ? options.subarray(offset + 4, offset + 4 + len) : undefined;
      if (code === 0 || !value) break;
      if (code === 9 && len >= 1) {
        // if_tsresol: high bit set = negative power of 2, else negative power of 10.
        const r = value[0]!;
        info.unitsPerSecond = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
      } else if (code === 14 && len >= 8) {
        info.offsetSeconds = new DataView(value.buffer, value.byteOffset, 8).getBigInt64(0, le);
      }
      offset += 4 + ((len + 3) & ~3);
    }
  }
}
