import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../identity/node-identity.js';
import { createMessageSigner } from '../identity/message-signer.js';
import { checkName, looksAlike, nameKey } from './names.js';
import { skeleton } from './skeleton.js';
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
    for (const bad of ['', 'a\u0000', 'a\u200d', 'a\u202e', 'two words', 'tab\t', '*', 'a*b', '/me', 'é'.repeat(33), 'alice\ufe00', '\u3164']) {
      expect(() => checkName(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'ERR_CLIQUE_INVALID_NAME' }));
    }
    expect(checkName('é'.repeat(32)).display).toHaveLength(32);
  });
});

describe('clique look-alike names (UTS #39 skeletons)', () => {
  it('gives names that look alike one key, and says they are distinct names', () => {
    const pairs: [string, string][] = [
      ['alice', '\u0430lice'], // Cyrillic а
      ['paypal', 'р\u0430ур\u0430l'], // Cyrillic р, а, у
      ['bob', 'B0B'], // zero for O
      ['modern', 'rnodern'], // rn for m
      ['scope', 'ѕсоре'], // all Cyrillic
      ['omega', '\u03bfmega'], // Greek omicron
      ['alice', 'aIice'], // capital I for l: folded to i before the skeleton could see it
      ['alice', 'AIICE'],
      ['bill', 'biII'],
    ];
    for (const [a, b] of pairs) {
      expect(nameKey(b), `${a} / ${b}`).toBe(nameKey(a));
      expect(looksAlike(a, b), `${a} / ${b}`).toBe(true);
    }
    expect(looksAlike('alice', 'ALICE')).toBe(false); // the same name in another case
    expect(nameKey('alice')).not.toBe(nameKey('alicia'));
    expect(nameKey('über')).not.toBe(nameKey('uber'));
    expect(skeleton('\u{1d52d}\u{1d4b6}y\u{1d561}\u{1d552}\u2113')).toBe(skeleton('paypal'));
  });

  it('keys are blind to case, width and Latin letters swapped for their Cyrillic or Greek twins', () => {
    const twins: Record<string, string> = { a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', i: 'і', s: 'ѕ' };
    fc.assert(fc.property(
      fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
      fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
      (name, swap, upper) => {
        const variant = [...name].map((ch, i) => {
          const twin = swap[i] ? twins[ch] : undefined;
          return twin ?? (upper[i] ? ch.toUpperCase() : ch);
        }).join('');
        const wide = [...name].map((ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0)).join('');
        expect(nameKey(variant)).toBe(nameKey(name));
        expect(nameKey(wide)).toBe(nameKey(name));
      },
    ));
  });

  it('never throws on any string, and a name keeps its key in any normalisation form', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }), (s) => {
      const k = nameKey(s);
      expect(nameKey(s.normalize('NFD'))).toBe(k);
      expect(nameKey(s.normalize('NFKC'))).toBe(k);
    }));
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
