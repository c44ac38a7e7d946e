import { createLogger } from '@bff/core';
import {
  JsonCache,
  SharedStoreUnavailableError,
  cacheKey,
  createSharedStore,
  readThrough,
} from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import { getAvailablePort } from '@bff/testing';
import { afterAll, describe, expect, it } from 'vitest';

// The reference cache never fails a query: over a store that answers it
// saves upstream calls; over one that does not, every read is a miss and the
// upstream answers, while dropping an entry (an event) still says it failed.

const logger = createLogger({ service: 'test', level: 'silent' }, { write: () => {} });
const stores: SharedStore[] = [];
afterAll(() => Promise.all(stores.map((store) => store.close())));

function open(redisUrl?: string): SharedStore {
  const store = createSharedStore({
    redisUrl,
    keyPrefix: 'test:json-cache:',
    logger,
    timeoutMs: 100,
  });
  stores.push(store);
  return store;
}

/** A products-by-SKU cache as the subgraphs build one, with a fetch that counts its calls. */
function productsOver(store: SharedStore) {
  const entries = new JsonCache(store, 'reference', logger);
  const cache = {
    get: (skus: readonly string[]) =>
      entries.readMany<{ sku: string }>(skus.map((sku) => cacheKey('product', sku))),
    set: async (items: readonly { sku: string }[]) => {
      await Promise.all(items.map((p) => entries.write(cacheKey('product', p.sku), p, 60)));
    },
  };
  const fetched: string[][] = [];
  const fetch = async (skus: readonly string[]) => {
    fetched.push([...skus]);
    return skus.map((sku) => ({ sku }));
  };
  return { entries, cache, fetched, load: (skus: string[]) => readThrough(skus, cache, fetch) };
}

describe('JsonCache and readThrough', () => {
  it('over a store that answers: the misses of a batch in one fetch, then no fetch at all', async () => {
    const products = productsOver(open());
    expect(await products.load(['A'])).toEqual([{ sku: 'A' }]);
    const answer = await products.load(['A', 'B', 'C']);
    expect(answer.map((p) => p.sku).sort()).toEqual(['A', 'B', 'C']);
    expect(products.fetched).toEqual([['A'], ['B', 'C']]);
    await products.load(['C', 'B', 'A']);
    expect(products.fetched).toHaveLength(2);
    // An id cannot reach another key: encoded.
    expect(cacheKey('product', 'a:b/../c')).toBe('product:a%3Ab%2F..%2Fc');
  });

  it('over a store that does not answer: every read a miss, the upstream answers, writes are only logged', async () => {
    const products = productsOver(open(`redis://127.0.0.1:${await getAvailablePort()}`));
    expect(await products.load(['A', 'B'])).toEqual([{ sku: 'A' }, { sku: 'B' }]);
    expect(await products.load(['A', 'B'])).toEqual([{ sku: 'A' }, { sku: 'B' }]);
    expect(products.fetched).toEqual([
      ['A', 'B'],
      ['A', 'B'],
    ]);
    // Dropping must not pass silently: an event that could not drop its entry is retried.
    await expect(products.entries.drop(cacheKey('product', 'A'))).rejects.toBeInstanceOf(
      SharedStoreUnavailableError,
    );
  });
});
