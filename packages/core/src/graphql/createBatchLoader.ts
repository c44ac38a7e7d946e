import DataLoader from 'dataloader';

import type { ChildPage } from './pagination.js';

export interface BatchLoaderOptions {
  /**
   * Most keys per upstream call; DataLoader splits larger batches.
   * @default 1000
   */
  maxBatchSize?: number;
}

/**
 * A per-request DataLoader over a batch endpoint: every key asked for in one
 * tick becomes one upstream call, and the results come back in key order
 * with `null` for keys the upstream does not know (DataLoader's contract).
 */
export function createBatchLoader<V>(
  fetchMany: (keys: readonly string[]) => Promise<readonly V[]>,
  keyOf: (value: V) => string,
  options: BatchLoaderOptions = {},
): DataLoader<string, V | null> {
  return new DataLoader<string, V | null>(
    async (keys) => {
      const found = new Map<string, V>();
      for (const value of await fetchMany(keys)) found.set(keyOf(value), value);
      return keys.map((key) => found.get(key) ?? null);
    },
    { maxBatchSize: options.maxBatchSize ?? 1_000 },
  );
}

/**
 * Like `createBatchLoader`, for one-to-many links (an order's shipments): each
 * key gets every value whose `groupOf` is that key, or an empty list.
 */
export function createGroupedLoader<V>(
  fetchMany: (keys: readonly string[]) => Promise<readonly V[]>,
  groupOf: (value: V) => string,
  options: BatchLoaderOptions = {},
): DataLoader<string, V[]> {
  return new DataLoader<string, V[]>(
    async (keys) => {
      const groups = new Map<string, V[]>();
      for (const value of await fetchMany(keys)) {
        const key = groupOf(value);
        const group = groups.get(key);
        if (group) group.push(value);
        else groups.set(key, [value]);
      }
      return keys.map((key) => groups.get(key) ?? []);
    },
    { maxBatchSize: options.maxBatchSize ?? 1_000 },
  );
}

export interface PageKey<F extends string = string> {
  parent: string;
  limit: number;
  afterKey: string | undefined;
  /** A filter value shared by the batch, such as a status; '' for none. */
  filter: F | '';
}

/**
 * A per-request DataLoader for nested connections (each customer's orders):
 * the keys of one tick are grouped by page shape (limit, filter) and each
 * group is one upstream call for all its parents. A page after a cursor is
 * its own call, since a cursor belongs to one parent's list.
 */
export function createPageLoader<V, F extends string = string>(
  fetchPages: (
    parents: string[],
    shape: { limit: number; afterKey: string | undefined; filter: F | '' },
  ) => Promise<ReadonlyMap<string, ChildPage<V>>>,
  options: BatchLoaderOptions = {},
): DataLoader<PageKey<F>, ChildPage<V>, string> {
  return new DataLoader<PageKey<F>, ChildPage<V>, string>(
    async (keys) => {
      const groups = new Map<string, PageKey<F>[]>();
      for (const key of keys) {
        // A cursor belongs to one parent's list: upstreams take it for a
        // single parent only, so a page after a cursor is a call of its own.
        const shape = JSON.stringify([
          key.limit,
          key.afterKey ?? null,
          key.filter,
          key.afterKey === undefined ? null : key.parent,
        ]);
        const group = groups.get(shape);
        if (group) group.push(key);
        else groups.set(shape, [key]);
      }
      // A group's failure is its own keys' answer (DataLoader takes an Error
      // per key), so one refused call does not take the other groups down.
      const pages = new Map<string, ChildPage<V> | Error>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { limit, afterKey, filter } = group[0] as PageKey<F>;
          const parents = [...new Set(group.map((k) => k.parent))];
          try {
            const result = await fetchPages(parents, { limit, afterKey, filter });
            for (const key of group) {
              pages.set(pageKeyId(key), result.get(key.parent) ?? { items: [], hasMore: false });
            }
          } catch (error) {
            const failure = error instanceof Error ? error : new Error(String(error));
            for (const key of group) pages.set(pageKeyId(key), failure);
          }
        }),
      );
      return keys.map((key) => pages.get(pageKeyId(key)) as ChildPage<V> | Error);
    },
    { maxBatchSize: options.maxBatchSize ?? 100, cacheKeyFn: pageKeyId },
  );
}

function pageKeyId(key: PageKey): string {
  return JSON.stringify([key.parent, key.limit, key.afterKey ?? null, key.filter]);
}
