import type { Logger } from '@bff/core';
import type { KeyValueStore, SharedStore } from '@bff/shared-state';

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
 * The cache never fails a query: a store that does not answer reads as a
 * miss (the upstream answers instead) and a failed write is only logged.
 */
export class ReferenceCache {
  private readonly entries: KeyValueStore;
  private readonly log: Logger;

  constructor(private readonly options: ReferenceCacheOptions) {
    this.entries = options.store.namespace('reference');
    this.log = options.logger.child({ component: 'referenceCache' });
  }

  async warehouses(): Promise<Warehouse[] | undefined> {
    return this.read<Warehouse[]>('warehouses');
  }

  async setWarehouses(list: Warehouse[]): Promise<void> {
    await this.write('warehouses', list, this.options.warehousesTtlSeconds);
  }

  /** Each SKU's cached stock, or undefined where it is not cached (or the store did not answer). */
  async stockOf(skus: readonly string[]): Promise<(ProductStock | undefined)[]> {
    // One read per key: keyv has no multi-get over namespaces, and node-redis
    // pipelines concurrent commands on its one connection anyway.
    return Promise.all(skus.map((sku) => this.read<ProductStock>(stockKey(sku))));
  }

  async setStock(items: readonly ProductStock[]): Promise<void> {
    await Promise.all(
      items.map((item) => this.write(stockKey(item.sku), item, this.options.stockTtlSeconds)),
    );
  }

  /**
   * Drops an item's cached stock so that the next query reads the upstream.
   * Unlike reads and writes it rejects when the store fails: the caller (the
   * event processor) must retry, or a stale entry would outlive the change.
   */
  async invalidateStock(sku: string): Promise<void> {
    await this.entries.delete(stockKey(sku));
  }

  private async read<T>(key: string): Promise<T | undefined> {
    try {
      const json = await this.entries.get(key);
      return json === undefined ? undefined : (JSON.parse(json) as T);
    } catch (error) {
      this.log.warn({ err: error, key }, 'reference cache read failed; asking the upstream');
      return undefined;
    }
  }

  private async write(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      await this.entries.set(key, JSON.stringify(value), ttlSeconds);
    } catch (error) {
      this.log.warn({ err: error, key }, 'reference cache write failed');
    }
  }
}

/** SKUs are opaque strings from clients: encoded, so no SKU can reach another key. */
function stockKey(sku: string): string {
  return `stock:${encodeURIComponent(sku)}`;
}
