import type { Logger } from '@bff/core';
import { JsonCache, cacheKey } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';

import type { ProductStock, Warehouse } from '../model.js';

export interface ReferenceCacheOptions {
  store: SharedStore;
  logger: Logger;
  warehousesTtlSeconds: number;
  stockTtlSeconds: number;
}

/**
 * The inventory system's reference data in the shared store, for every
 * replica: the warehouse list and each item's stock. The TTLs are a safety
 * net; stock events (webhooks) drop an item's entry as soon as it changes.
 * The cache never fails a query (JsonCache).
 */
export class ReferenceCache {
  private readonly entries: JsonCache;

  constructor(private readonly options: ReferenceCacheOptions) {
    this.entries = new JsonCache(
      options.store,
      'reference',
      options.logger.child({ component: 'referenceCache' }),
    );
  }

  async warehouses(): Promise<Warehouse[] | undefined> {
    return this.entries.read<Warehouse[]>('warehouses');
  }

  async setWarehouses(list: Warehouse[]): Promise<void> {
    await this.entries.write('warehouses', list, this.options.warehousesTtlSeconds);
  }

  /** Each SKU's cached stock, or undefined where it is not cached (or the store did not answer). */
  async stockOf(skus: readonly string[]): Promise<(ProductStock | undefined)[]> {
    return this.entries.readMany<ProductStock>(skus.map((sku) => cacheKey('stock', sku)));
  }

  async setStock(items: readonly ProductStock[]): Promise<void> {
    await Promise.all(
      items.map((item) =>
        this.entries.write(cacheKey('stock', item.sku), item, this.options.stockTtlSeconds),
      ),
    );
  }

  /** Drops an item's cached stock so that the next query reads the upstream; rejects when the store fails. */
  async invalidateStock(sku: string): Promise<void> {
    await this.entries.drop(cacheKey('stock', sku));
  }
}
