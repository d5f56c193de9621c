// fast-check arbitraries for every message of the protocol, derived by reflection from the .proto files: a message
// added to the schema is generated (and so round-tripped and fuzzed) without touching this file.
import fc from 'fast-check';
import type protobuf from 'protobufjs';
import { fullName, messageType } from './schema.js';

const UINT32_MAX = 0xffff_ffff;

/** Values that cost 1 byte, values at varint boundaries, and anything in range, so edges are hit often. */
function integer(max: number): fc.Arbitrary<number> {
  const edges = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31 - 1, 2 ** 31, UINT32_MAX, 2 ** 32, 2 ** 53 - 1].filter((n) => n <= max);
  return fc.oneof(fc.constantFrom(...edges), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max }));
}

function scalarArbitrary(field: protobuf.Field): fc.Arbitrary<unknown> {
  const enumType = field.resolvedType && !('fields' in field.resolvedType) ? (field.resolvedType as protobuf.Enum) : undefined;
  if (enumType) {
    // proto3 enums are open: a newer peer's value must survive as a number.
    const known = Object.values(enumType.values);
    return fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 9 }, { arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), weight: 1 });
  }
  switch (field.type) {
    case 'uint32':
      return integer(UINT32_MAX);
    case 'uint64':
      // The runtime decodes 64-bit integers as numbers: only values below 2^53 are exact, and the protocol's are.
      return integer(Number.MAX_SAFE_INTEGER);
    case 'bool':
      return fc.boolean();
    case 'string':
      // Any Unicode scalar value (no lone surrogates: those have no UTF-8 encoding).
      return fc.string({ unit: 'binary', maxLength: 40 });
    case 'bytes':
      return fc.uint8Array({ maxLength: 48 });
    case 'double':
      return fc.double();
    default:
      throw new Error(`no arbitrary for field type ${field.type} (${field.name}): add one`);
  }
}

function fieldArbitrary(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> {
  const single =
    field.resolvedType && 'fields' in field.resolvedType
      ? messageArbitraryOf(field.resolvedType as protobuf.Type, depth + 1, false)
      : scalarArbitrary(field);
  return field.repeated ? fc.array(single, { maxLength: 4 }) : single;
}

function messageArbitraryOf(type: protobuf.Type, depth: number, oneofRequired: boolean): fc.Arbitrary<Record<string, unknown>> {
  if (depth > 8) throw new Error(`${fullName(type)}: schema nests too deep for the arbitraries`);
  const plain: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of type.fieldsArray) if (!field.partOf) plain[field.name] = fieldArbitrary(field, depth);
  const parts: fc.Arbitrary<Record<string, unknown>>[] = [fc.record(plain, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>];
  for (const oneof of type.oneofsArray) {
    const cases = oneof.fieldsArray.map((f) => fieldArbitrary(f, depth).map((v) => ({ [f.name]: v })));
    parts.push(oneofRequired ? fc.oneof(...cases) : fc.oneof(fc.constant({}), ...cases));
  }
  return fc.tuple(...parts).map((objs) => Object.assign({}, ...objs) as Record<string, unknown>);
}

/**
 * Random messages of a type (full name), as plain objects with lowerCamelCase fields, Uint8Array bytes and numeric
 * enums; each oneof holds at most one case, and at least one when `oneofRequired` (an Envelope always carries one).
 */
export function messageArbitrary(typeName: string, oneofRequired = false): fc.Arbitrary<Record<string, unknown>> {
  return messageArbitraryOf(messageType(typeName), 0, oneofRequired);
}

/** The cases of Envelope.body, in field-number order. */
export const ENVELOPE_CASES: string[] = messageType('p2p.v1.Envelope').oneofsArray[0]!.fieldsArray.map((f) => f.name);

/** Random envelopes carrying the given case (any case when omitted), every case equally likely. */
export function envelopeArbitrary(only?: string): fc.Arbitrary<Record<string, unknown>> {
  const env = messageType('p2p.v1.Envelope');
  return fc
    .constantFrom(...(only ? [only] : ENVELOPE_CASES))
    .chain((c) => messageArbitraryOf(env.fields[c]!.resolvedType as protobuf.Type, 1, false).map((body) => ({ [c]: body })));
}

function isDefault(value: unknown): boolean {
  return value === 0 || value === '' || value === false || (value instanceof Uint8Array && value.length === 0);
}

function canonicalOf(type: protobuf.Type, msg: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const value = msg[field.name];
    if (value === undefined || value === null) continue;
    const sub = field.resolvedType && 'fields' in field.resolvedType ? (field.resolvedType as protobuf.Type) : undefined;
    const one = (v: unknown): unknown =>
      sub ? canonicalOf(sub, v as Record<string, unknown>) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v;
    if (field.repeated) {
      if ((value as unknown[]).length > 0) out[field.name] = (value as unknown[]).map(one);
    } else if (sub || field.partOf || !isDefault(value)) {
      // proto3 leaves a scalar with its default value off the wire (decoded back as absent), except in a oneof,
      // where being set is information.
      out[field.name] = one(value);
    }
  }
  return out;
}

/**
 * What survives the wire of a message (original or decoded): its schema fields only, scalars at their default
 * dropped (outside oneofs), empty repeated fields dropped, bytes as hex. Two messages are the same on the wire
 * exactly when their canonical forms are deeply equal.
 */
export function canonical(typeName: string, msg: object): Record<string, unknown> {
  return canonicalOf(messageType(typeName), msg as Record<string, unknown>);
}
