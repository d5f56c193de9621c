import $protobuf from 'protobufjs/minimal.js';

/**
 * Replaces protobufjs's oneof setter, before the generated codecs are evaluated, with one that deletes only the
 * other cases actually set. The stock setter runs `delete` on every other case of the oneof each time a message
 * is decoded (22 of them for an Envelope): a slow runtime call each, which was the largest single cost of decoding
 * a frame. The result is the same: after the setter, no case but `name` is left on the message.
 */
function fastOneOfSetter(fieldNames: string[]): (this: Record<string, unknown>, name: string | undefined) => void {
  return function setOneOf(name) {
    for (let i = 0; i < fieldNames.length; ++i) {
      const field = fieldNames[i]!;
      if (field !== name && Object.prototype.hasOwnProperty.call(this, field)) delete this[field];
    }
  };
}

($protobuf.util as unknown as { oneOfSetter: typeof fastOneOfSetter }).oneOfSetter = fastOneOfSetter;
