import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../identity/node-identity.js';
import { createMessageSigner } from '../identity/message-signer.js';
import { checkName, nameKey } from './names.js';
import { signLine, verifyLine } from './line-signing.js';

describe('clique names', () => {
  it('compares names after NFKC and case folding', () => {
    expect(nameKey('Alice')).toBe(nameKey('aLICE'));
    expect(nameKey('ａｌｉｃｅ')).toBe(nameKey('alice'));
    expect(nameKey('Straße')).toBe(nameKey('STRASSE'));
    expect(nameKey('ﬁle')).toBe(nameKey('file'));
    expect(nameKey('Ω')).toBe(nameKey('ω'));
    expect(checkName('ａｌｉｃｅ').display).toBe('alice');
  });

  it('refuses control, format and space characters, reserved forms and long names', () => {
    for (const bad of ['', 'a\u0000', 'a\u200d', 'a\u202e', 'two words', 'tab\t', '*', 'a*b', '/me', 'é'.repeat(33)]) {
      expect(() => checkName(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'ERR_CLIQUE_INVALID_NAME' }));
    }
    expect(checkName('é'.repeat(32)).display).toHaveLength(32);
  });
});

describe('clique line signatures', () => {
  it('proves the author, and any change to the line breaks the proof', async () => {
    const signer = createMessageSigner(await generateIdentity());
    const line = signLine(signer, { messageId: new Uint8Array(16).fill(1), from: 'bob', to: 'carol', chat: { text: 'hi', fromName: 'bob', sentAtMs: 5 } });
    expect(verifyLine(line)).toBe(signer.peerId);
    expect(verifyLine({ ...line, to: 'dave' })).toBeUndefined();
    expect(verifyLine({ ...line, chat: { ...line.chat, text: 'hi!' } })).toBeUndefined();
    expect(verifyLine({ ...line, signature: undefined })).toBeUndefined();
  });
});
