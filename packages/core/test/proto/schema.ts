// Reflection over the .proto files themselves (protobufjs's full build), independent of the generated static codecs:
// the vector, interop and property tests walk this schema so that a message added to the .proto without a vector,
// an arbitrary or a text-format rule makes them fail instead of going unnoticed.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** Root of the repository. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** The proto module (buf's working directory, protoc's include path). */
export const PROTO_DIR = join(REPO_ROOT, 'proto');
/** Golden vectors. */
export const VECTORS_DIR = join(PROTO_DIR, 'vectors');

/** The two top-level messages vectors are written for, and the .proto file that declares each. */
export const TOP_LEVEL = {
  'p2p.v1.Envelope': 'p2p/v1/envelope.proto',
  'p2p.control.v1.Request': 'p2p/control/v1/control.proto',
  'p2p.control.v1.Response': 'p2p/control/v1/control.proto',
  // Carried as bytes inside CliqueLines (the signed body), so no Envelope vector reaches it.
  'p2p.v1.CliqueLineList': 'p2p/v1/clique.proto',
} as const;

/** Name of a top-level message type vectors are written for. */
export type TopLevelType = keyof typeof TOP_LEVEL;

const cached = new Map<boolean, protobuf.Root>();

/**
 * Loads every .proto of the wire protocol and the control API into one resolved reflection root.
 * Field names are lowerCamelCase like the generated codecs, or as written in the .proto with `keepCase`.
 */
export function loadSchema(keepCase = false): protobuf.Root {
  const hit = cached.get(keepCase);
  if (hit) return hit;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    const p = join(PROTO_DIR, target);
    if (!existsSync(p)) throw new Error(`proto import not found: ${target}`);
    return p;
  };
  root.loadSync([...new Set(Object.values(TOP_LEVEL))], { keepCase });
  root.resolveAll();
  cached.set(keepCase, root);
  return root;
}

/** Looks up a message type by its full name (without the leading dot). */
export function messageType(name: string): protobuf.Type {
  return loadSchema().lookupType(name);
}

/** Every message type declared in a package (for example "p2p.v1"), sorted by full name. */
export function messageTypesOf(pkg: string): protobuf.Type[] {
  const ns = loadSchema().lookup(pkg);
  if (!(ns instanceof protobuf.Namespace)) throw new Error(`no package ${pkg}`);
  const out: protobuf.Type[] = [];
  const walk = (n: protobuf.NamespaceBase): void => {
    for (const child of n.nestedArray) {
      if (child instanceof protobuf.Type) out.push(child);
      if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) walk(child);
    }
  };
  walk(ns);
  return out.sort((a, b) => fullName(a).localeCompare(fullName(b)));
}

/** Full name of a reflected type without the leading dot ("p2p.v1.Chat"). */
export function fullName(t: protobuf.ReflectionObject): string {
  return t.fullName.replace(/^\./, '');
}

/** Every "Type.oneof.case" of every oneof declared in a package. */
export function oneofCasesOf(pkg: string): string[] {
  return messageTypesOf(pkg).flatMap((t) =>
    t.oneofsArray.flatMap((o) => o.fieldsArray.map((f) => `${fullName(t)}.${o.name}.${f.name}`)),
  );
}
