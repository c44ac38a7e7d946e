import type { Logger } from '@bff/core';
import { JsonCache, cacheKey } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';

import type { Product } from '../model.js';

/**
 * The ERP's product records (name, price, category…) in the shared store,
 * for every replica. The TTL is a safety net; product events (webhooks) drop
 * a product's entry as soon as it changes. The cache never fails a query
 * (JsonCache). Orders are not cached: they change with every step of their life.
 */
export class ProductCache {
  private readonly entries: JsonCache;

  constructor(
    store: SharedStore,
    logger: Logger,
    private readonly ttlSeconds: number,
  ) {
    this.entries = new JsonCache(store, 'reference', logger.child({ component: 'productCache' }));
  }

  /** Each SKU's cached product, or undefined where it is not cached (or the store did not answer). */
  get(skus: readonly string[]): Promise<(Product | undefined)[]> {
    return this.entries.readMany<Product>(skus.map((sku) => cacheKey('product', sku)));
  }

  async set(products: readonly Product[]): Promise<void> {
    await Promise.all(
      products.map((p) => this.entries.write(cacheKey('product', p.sku), p, this.ttlSeconds)),
    );
  }

  /** Drops a product so that the next query reads the ERP; rejects when the store fails. */
  async invalidate(sku: string): Promise<void> {
    await this.entries.drop(cacheKey('product', sku));
  }
}
