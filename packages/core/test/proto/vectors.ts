// Loads the golden vectors of proto/vectors/ and maps each to the generated codec of its type.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { control, v1 } from '../../src/codec/index.js';
import { TOP_LEVEL, VECTORS_DIR, type TopLevelType } from './schema.js';

/** One golden vector: a message's exact bytes and the same message in the protobuf JSON mapping. */
export interface Vector {
  /** Path relative to proto/vectors/. */
  file: string;
  /** Full name of the top-level type. */
  type: TopLevelType;
  /** Stable name, equal to the file name without ".json". */
  name: string;
  /** What the vector shows. */
  description: string;
  /** The encoded message, lowercase hex. */
  hex: string;
  /** The message in the protobuf JSON mapping (bytes as base64, 64-bit integers as numbers, enums by name). */
  json: Record<string, unknown>;
}

/** The toObject options that produce the vectors' JSON mapping. */
export const JSON_OPTIONS = { longs: Number, enums: String, bytes: String, defaults: false, oneofs: false, json: true };

/** The generated static codec of a top-level type. */
export interface StaticCodec {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  fromObject(object: Record<string, unknown>): object;
  toObject(message: object, options: object): Record<string, unknown>;
}

/** The generated codec of each top-level type, reached through the codec module like every other caller. */
export const CODECS: Record<TopLevelType, StaticCodec> = {
  'p2p.v1.Envelope': v1.Envelope as unknown as StaticCodec,
  'p2p.control.v1.Request': control.Request as unknown as StaticCodec,
  'p2p.control.v1.Response': control.Response as unknown as StaticCodec,
  'p2p.v1.CliqueLineList': v1.CliqueLineList as unknown as StaticCodec,
};

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? jsonFiles(p) : name.endsWith('.json') ? [p] : [];
    })
    .sort();
}

/** Reads and shape-checks every vector file; throws on a file that is not a well-formed vector. */
export function loadVectors(): Vector[] {
  return jsonFiles(VECTORS_DIR).map((path) => {
    const file = relative(VECTORS_DIR, path);
    const v = JSON.parse(readFileSync(path, 'utf8')) as Vector;
    if (!(v.type in TOP_LEVEL)) throw new Error(`${file}: unknown type ${String(v.type)}`);
    if (typeof v.hex !== 'string' || !/^([0-9a-f]{2})*$/.test(v.hex)) throw new Error(`${file}: hex is not lowercase hex`);
    if (typeof v.json !== 'object' || v.json === null) throw new Error(`${file}: json is not an object`);
    if (!file.endsWith(`${v.name}.json`)) throw new Error(`${file}: name ${v.name} does not match the file name`);
    return { ...v, file };
  });
}
