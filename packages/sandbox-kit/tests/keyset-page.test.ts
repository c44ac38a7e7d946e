import { describe, expect, it } from 'vitest';

import { keysetPage } from '../src/http/keysetPage.js';
import { SandboxHttpError } from '../src/http/SandboxHttpError.js';

const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const keyOf = (item: { id: string }) => item.id;
const ids = (page: { items: { id: string }[] }) => page.items.map(keyOf);

describe('keysetPage', () => {
  it('walks the list page by page, with hasMore until the last', () => {
    const first = keysetPage(items, keyOf, undefined, 2);
    expect(ids(first)).toEqual(['a', 'b']);
    expect(first.hasMore).toBe(true);
    const second = keysetPage(items, keyOf, 'b', 2);
    expect(ids(second)).toEqual(['c', 'd']);
    expect(second.hasMore).toBe(true);
    const last = keysetPage(items, keyOf, 'd', 2);
    expect(ids(last)).toEqual(['e']);
    expect(last.hasMore).toBe(false);
  });

  it('has no more when the page ends exactly at the end', () => {
    expect(keysetPage(items, keyOf, undefined, 5)).toEqual({ items, hasMore: false });
    expect(keysetPage(items, keyOf, 'c', 2)).toEqual({ items: items.slice(3), hasMore: false });
    expect(keysetPage(items, keyOf, undefined, 4).hasMore).toBe(true);
  });

  it('gives an empty last page after the last item', () => {
    expect(keysetPage(items, keyOf, 'e', 2)).toEqual({ items: [], hasMore: false });
    expect(keysetPage([], keyOf, undefined, 2)).toEqual({ items: [], hasMore: false });
  });

  it('uses a prebuilt index when given one', () => {
    const index = new Map(items.map((item, i) => [item.id, i]));
    const page = keysetPage(items, keyOf, 'a', 3, (k) => index.get(k));
    expect(ids(page)).toEqual(['b', 'c', 'd']);
    expect(page.hasMore).toBe(true);
  });

  it('refuses a cursor that names no item: 400 invalid_cursor', () => {
    const index = new Map(items.map((item, i) => [item.id, i]));
    for (const run of [
      () => keysetPage(items, keyOf, 'zz', 2),
      () => keysetPage(items, keyOf, 'zz', 2, (k) => index.get(k)),
      () => keysetPage(items, keyOf, 'zz', 2, () => -1),
    ]) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SandboxHttpError);
      expect(error).toMatchObject({
        status: 400,
        code: 'invalid_cursor',
        message: 'no item "zz" to continue after',
      });
    }
  });
});
