import type { NameHolder } from './claims.js';

/**
 * The names known across the clique, by key: a Map that counts its changes and stamps every holder with the count
 * at which it was set, so that views of it (who-is-online pages) know when to rebuild, and a roster received in
 * parts can tell the holders it found from those set while it was arriving.
 */
export class NameTable extends Map<string, NameHolder> {
  private changes = 0;
  private readonly stamps = new WeakMap<NameHolder, number>();

  /** Changes so far (sets and deletes). */
  get version(): number {
    return this.changes;
  }

  /** The version at which a holder was set (0 for one never set here). */
  stampOf(h: NameHolder): number {
    return this.stamps.get(h) ?? 0;
  }

  override set(key: string, holder: NameHolder): this {
    this.stamps.set(holder, ++this.changes);
    return super.set(key, holder);
  }

  override delete(key: string): boolean {
    this.changes++;
    return super.delete(key);
  }
}
