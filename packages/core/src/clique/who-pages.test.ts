import { describe, expect, it } from 'vitest';
import type { p2p } from '../codec/wire.js';
import { gatherOnline } from './who-pages.js';

const entry = (name: string): p2p.v1.IClientEntry => ({ name, peerId: new Uint8Array(32), serverId: new Uint8Array(32) });

/** A server holding `names`, answering `size` names a page after the cursor. */
function pagedServer(names: string[], size: number) {
  const asked: string[] = [];
  const sorted = [...names].sort();
  const ask = async (after: string): Promise<p2p.v1.IOnlineList> => {
    asked.push(after);
    const rest = sorted.filter((n) => n > after);
    const page = rest.slice(0, size);
    const more = rest.length > size;
    return { clients: page.map(entry), more, next: more ? page.at(-1)! : '', total: names.length, after };
  };
  return { ask, asked };
}

describe('gathering who-is-online pages', () => {
  it('follows the cursor to the last page and returns every name once', async () => {
    const names = Array.from({ length: 95 }, (_, i) => `n${String(i).padStart(3, '0')}`);
    const server = pagedServer(names, 10);
    expect((await gatherOnline(server.ask, 1000)).map((e) => e.name)).toEqual(names);
    expect(server.asked).toHaveLength(10);
    expect(server.asked[0]).toBe('');
  });

  it('takes an unpaged answer (an older server) as the only page', async () => {
    const list = await gatherOnline(async () => ({ clients: [entry('a'), entry('b')] }), 10);
    expect(list.map((e) => e.name)).toEqual(['a', 'b']);
  });

  it('stops at the cap, early when the server counts more, with a typed error', async () => {
    const server = pagedServer(Array.from({ length: 50 }, (_, i) => `n${i}`), 10);
    await expect(gatherOnline(server.ask, 20)).rejects.toMatchObject({ code: 'ERR_CLIQUE_WHO_TOO_LARGE', maxNames: 20, total: 50 });
    expect(server.asked).toHaveLength(1);
    // A server that does not count: the pages themselves hit the cap.
    const quiet = async (after: string) => ({ ...(await server.ask(after)), total: 0 });
    await expect(gatherOnline(quiet, 25)).rejects.toMatchObject({ code: 'ERR_CLIQUE_WHO_TOO_LARGE' });
  });

  it('refuses pages that say "more" without moving forward (a server walking us in circles)', async () => {
    await expect(gatherOnline(async () => ({ clients: [entry('a')], more: true, next: 'a' }), 1000)).rejects.toMatchObject({ code: 'ERR_CLIQUE_BAD_ANSWER' });
    let n = 0;
    const circle = async (after: string) => { n++; return { clients: [entry('x')], more: true, next: after === '' ? 'm' : 'a' }; };
    await expect(gatherOnline(circle, 1000)).rejects.toMatchObject({ code: 'ERR_CLIQUE_BAD_ANSWER' });
    expect(n).toBe(2);
    await expect(gatherOnline(async () => ({ clients: [], more: true, next: 'z' }), 1000)).rejects.toMatchObject({ code: 'ERR_CLIQUE_BAD_ANSWER' });
  });
});
