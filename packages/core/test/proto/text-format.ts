// Writes a message given in the protobuf JSON mapping as protobuf text format, exactly as `protoc --decode`
// (libprotoc 3.x) prints it: fields in field-number order, proto (snake_case) field names, enums by name, strings
// and bytes C-escaped byte by byte. Kept apart from the codecs on purpose: the interop test compares protoc's
// reading of our bytes with this rendering of the JSON the vectors promise.
import type protobuf from 'protobufjs';
import { fullName, loadSchema } from './schema.js';

/** C-escapes bytes the way protobuf's CEscape does (printable ASCII kept, the rest as 3-digit octal). */
export function cEscape(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x27) out += "\\'";
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

function scalar(field: protobuf.Field, value: unknown): string {
  switch (field.type) {
    case 'string':
      return `"${cEscape(Buffer.from(value as string, 'utf8'))}"`;
    case 'bytes':
      return `"${cEscape(Buffer.from(value as string, 'base64'))}"`;
    case 'bool':
      return value ? 'true' : 'false';
    case 'double':
    case 'float':
      // protoc prints the shortest round-tripping form; for the finite values of the vectors it matches JS.
      return String(value);
    default:
      if (field.resolvedType && !('fields' in field.resolvedType)) return String(value); // enum, by name
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`${field.name}: not an integer`);
      return String(value);
  }
}

function render(type: protobuf.Type, json: Record<string, unknown>, indent: string): string {
  const named = loadSchema(true).lookupType(fullName(type));
  let out = '';
  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    const value = json[field.name];
    if (value === undefined) continue;
    const name = named.fieldsById[field.id]!.name;
    const items = field.repeated ? (value as unknown[]) : [value];
    for (const item of items) {
      if (field.resolvedType && 'fields' in field.resolvedType) {
        out += `${indent}${name} {\n${render(field.resolvedType as protobuf.Type, item as Record<string, unknown>, `${indent}  `)}${indent}}\n`;
      } else {
        out += `${indent}${name}: ${scalar(field, item)}\n`;
      }
    }
  }
  return out;
}

/** Renders `json` (protobuf JSON mapping, lowerCamelCase names) of message type `typeName` as protoc's text format. */
export function toTextFormat(typeName: string, json: Record<string, unknown>): string {
  return render(loadSchema().lookupType(typeName), json, '');
}
