import { describe, expect, it, vi } from 'vitest';

import {
  createBatchLoader,
  createGroupedLoader,
  createPageLoader,
} from '../src/graphql/createBatchLoader.js';
import type { PageKey } from '../src/graphql/createBatchLoader.js';
import type { ChildPage } from '../src/graphql/pagination.js';

interface Item {
  id: string;
  name: string;
}

const item = (id: string): Item => ({ id, name: `item ${id}` });

describe('createBatchLoader', () => {
  it('makes one call per tick and answers in key order, null for unknown keys', async () => {
    // The upstream answers in its own order and leaves out what it lacks.
    const fetchMany = vi.fn(async (keys: readonly string[]) =>
      [...keys]
        .reverse()
        .filter((k) => k !== 'missing')
        .map(item),
    );
    const loader = createBatchLoader(fetchMany, (i) => i.id);
    const results = await Promise.all([
      loader.load('a'),
      loader.load('missing'),
      loader.load('b'),
      loader.load('a'),
    ]);
    expect(results).toStrictEqual([item('a'), null, item('b'), item('a')]);
    expect(fetchMany).toHaveBeenCalledTimes(1);
    expect(fetchMany).toHaveBeenCalledWith(['a', 'missing', 'b']);
  });

  it('makes a new call in a later tick, only for keys not yet loaded', async () => {
    const fetchMany = vi.fn(async (keys: readonly string[]) => keys.map(item));
    const loader = createBatchLoader(fetchMany, (i) => i.id);
    await loader.loadMany(['a', 'b']);
    await loader.loadMany(['b', 'c']);
    expect(fetchMany.mock.calls).toEqual([[['a', 'b']], [['c']]]);
  });

  it('splits a batch at maxBatchSize', async () => {
    const fetchMany = vi.fn(async (keys: readonly string[]) => keys.map(item));
    const loader = createBatchLoader(fetchMany, (i) => i.id, { maxBatchSize: 2 });
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => loader.load(k)));
    expect(results.map((r) => r?.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fetchMany.mock.calls).toEqual([[['a', 'b']], [['c', 'd']], [['e']]]);
  });

  it('splits at 1000 keys by default', async () => {
    const fetchMany = vi.fn(async (keys: readonly string[]) => keys.map(item));
    const loader = createBatchLoader(fetchMany, (i) => i.id);
    await Promise.all(Array.from({ length: 1_001 }, (_, i) => loader.load(`k${i}`)));
    expect(fetchMany.mock.calls.map(([keys]) => keys.length)).toEqual([1_000, 1]);
  });

  it('rejects every key of a batch whose call fails', async () => {
    const loader = createBatchLoader<Item>(
      async () => {
        throw new Error('upstream down');
      },
      (i) => i.id,
    );
    const outcomes = await Promise.allSettled([loader.load('a'), loader.load('b')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('createGroupedLoader', () => {
  interface Shipment {
    id: string;
    orderId: string;
  }

  it('groups values per key in one call, with [] for keys without values', async () => {
    const fetchMany = vi.fn(async (_orderIds: readonly string[]): Promise<Shipment[]> => [
      { id: 's1', orderId: 'o1' },
      { id: 's2', orderId: 'o2' },
      { id: 's3', orderId: 'o1' },
    ]);
    const loader = createGroupedLoader(fetchMany, (s) => s.orderId);
    const [o1, o2, o3] = await Promise.all([
      loader.load('o1'),
      loader.load('o2'),
      loader.load('o3'),
    ]);
    expect(o1).toStrictEqual([
      { id: 's1', orderId: 'o1' },
      { id: 's3', orderId: 'o1' },
    ]);
    expect(o2).toStrictEqual([{ id: 's2', orderId: 'o2' }]);
    expect(o3).toStrictEqual([]);
    expect(fetchMany).toHaveBeenCalledTimes(1);
    expect(fetchMany).toHaveBeenCalledWith(['o1', 'o2', 'o3']);
  });

  it('splits at maxBatchSize', async () => {
    const fetchMany = vi.fn(async (_keys: readonly string[]): Promise<Shipment[]> => []);
    const loader = createGroupedLoader(fetchMany, (s) => s.orderId, { maxBatchSize: 2 });
    await loader.loadMany(['o1', 'o2', 'o3']);
    expect(fetchMany.mock.calls).toEqual([[['o1', 'o2']], [['o3']]]);
  });
});

describe('createPageLoader', () => {
  type Status = 'OPEN' | 'SHIPPED';
  const key = (
    parent: string,
    limit = 10,
    afterKey: string | undefined = undefined,
    filter: Status | '' = '',
  ): PageKey<Status> => ({ parent, limit, afterKey, filter });

  function fakeUpstream() {
    return vi.fn(
      async (
        parents: string[],
        shape: { limit: number; afterKey: string | undefined; filter: Status | '' },
      ): Promise<ReadonlyMap<string, ChildPage<string>>> =>
        new Map(
          parents
            .filter((p) => p !== 'no-orders')
            .map((p) => [
              p,
              {
                items: [`${p}/${shape.limit}/${shape.afterKey ?? '-'}/${shape.filter || '*'}`],
                hasMore: shape.limit < 10,
              },
            ]),
        ),
    );
  }

  it('makes one call per page shape and maps each page back to its key', async () => {
    const fetchPages = fakeUpstream();
    const loader = createPageLoader(fetchPages);
    const pages = await Promise.all([
      loader.load(key('c1')),
      loader.load(key('c2')),
      loader.load(key('c3', 5)),
      loader.load(key('c1', 10, 'o9')),
      loader.load(key('c2', 10, undefined, 'OPEN')),
      loader.load(key('c3', 10)),
    ]);
    expect(pages).toStrictEqual([
      { items: ['c1/10/-/*'], hasMore: false },
      { items: ['c2/10/-/*'], hasMore: false },
      { items: ['c3/5/-/*'], hasMore: true },
      { items: ['c1/10/o9/*'], hasMore: false },
      { items: ['c2/10/-/OPEN'], hasMore: false },
      { items: ['c3/10/-/*'], hasMore: false },
    ]);
    expect(fetchPages).toHaveBeenCalledTimes(4);
    const calls = fetchPages.mock.calls.map(([parents, shape]) => ({ parents, shape }));
    expect(calls).toEqual(
      expect.arrayContaining([
        { parents: ['c1', 'c2', 'c3'], shape: { limit: 10, afterKey: undefined, filter: '' } },
        { parents: ['c3'], shape: { limit: 5, afterKey: undefined, filter: '' } },
        { parents: ['c1'], shape: { limit: 10, afterKey: 'o9', filter: '' } },
        { parents: ['c2'], shape: { limit: 10, afterKey: undefined, filter: 'OPEN' } },
      ]),
    );
  });

  it('asks for each parent once when equal keys are loaded as different objects', async () => {
    const fetchPages = fakeUpstream();
    const loader = createPageLoader(fetchPages);
    const [first, second] = await Promise.all([loader.load(key('c1')), loader.load(key('c1'))]);
    expect(first).toStrictEqual({ items: ['c1/10/-/*'], hasMore: false });
    expect(second).toStrictEqual(first);
    expect(fetchPages.mock.calls).toEqual([
      [['c1'], { limit: 10, afterKey: undefined, filter: '' }],
    ]);
  });

  it('gives an empty page to a parent the upstream did not answer for', async () => {
    const loader = createPageLoader(fakeUpstream());
    await expect(loader.load(key('no-orders'))).resolves.toStrictEqual({
      items: [],
      hasMore: false,
    });
  });

  it('splits at 100 keys by default', async () => {
    const fetchPages = fakeUpstream();
    const loader = createPageLoader(fetchPages);
    await Promise.all(Array.from({ length: 101 }, (_, i) => loader.load(key(`c${i}`))));
    expect(fetchPages.mock.calls.map(([parents]) => parents.length)).toEqual([100, 1]);
  });
});
