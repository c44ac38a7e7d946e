import { createBatchLoader, createGroupedLoader } from '@bff/core';
import { readThrough } from '@bff/shared-state';

import type { ReferenceCache } from '../cache/ReferenceCache.js';
import type { InventoryClient } from '../inventory/InventoryClient.js';
import { toProductStock, toShipment, toWarehouse } from '../inventory/mapInventory.js';
import type { ProductStock, Warehouse } from '../model.js';

/**
 * The DataLoaders of one GraphQL request: one WMS call per kind of data per
 * tick, and with a cache, only for what it does not hold.
 */
export function createLoaders(inventory: InventoryClient, cache?: ReferenceCache) {
  // The WMS lists its few sites in one call; every warehouse lookup of the
  // request shares that one answer.
  let sites: Promise<Warehouse[]> | undefined;
  const fetchSites = async () => {
    const cached = await cache?.warehouses();
    if (cached) return cached;
    const list = (await inventory.sites()).map(toWarehouse);
    await cache?.setWarehouses(list);
    return list;
  };
  const allWarehouses = () => (sites ??= fetchSites());

  // The misses of the whole batch in one upstream call, as without a cache.
  const fetchStock = (skus: readonly string[]): Promise<ProductStock[]> =>
    readThrough(
      skus,
      cache && { get: (ids) => cache.stockOf(ids), set: (items) => cache.setStock(items) },
      async (misses) => (await inventory.stockOfItems(misses)).map(toProductStock),
    );

  return {
    allWarehouses,
    warehousesById: createBatchLoader(
      () => allWarehouses(),
      (w) => w.id,
    ),
    stockBySku: createBatchLoader(fetchStock, (s) => s.sku),
    shipmentsByOrderId: createGroupedLoader(
      async (orderIds) => (await inventory.shipmentsOfOrders(orderIds)).map(toShipment),
      (s) => s.orderId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
