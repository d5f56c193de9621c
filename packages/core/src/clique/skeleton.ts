import { CONFUSABLES } from '../gen/confusables.js';

let table: Map<number, string> | undefined;

/** The source→prototype table of confusables.txt, decoded on first use. */
function prototypes(): Map<number, string> {
  if (table) return table;
  table = new Map();
  for (const pair of CONFUSABLES.split(',')) {
    const [from, to] = pair.split(':') as [string, string];
    table.set(parseInt(from, 16), String.fromCodePoint(...to.split(' ').map((t) => parseInt(t, 16))));
  }
  return table;
}

// UTS #39 (since Unicode 15.1) drops default-ignorable code points before mapping: they show nothing.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The UTS #39 skeleton of a string: NFD, default-ignorables removed, every code point replaced by its prototype
 * from Unicode's confusables.txt, NFD again. Two strings that look alike have the same skeleton; a skeleton is for
 * comparing only, never for showing.
 */
export function skeleton(s: string): string {
  const map = prototypes();
  let out = '';
  for (const ch of s.normalize('NFD').replace(IGNORABLE, '')) out += map.get(ch.codePointAt(0)!) ?? ch;
  return out.normalize('NFD');
}
