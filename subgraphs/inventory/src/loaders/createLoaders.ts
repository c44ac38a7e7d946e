import { createBatchLoader, createGroupedLoader } from '@bff/core';

import type { InventoryClient } from '../inventory/InventoryClient.js';
import { toProductStock, toShipment, toWarehouse } from '../inventory/mapInventory.js';
import type { Warehouse } from '../model.js';

/** The DataLoaders of one GraphQL request: one WMS call per kind of data per tick. */
export function createLoaders(inventory: InventoryClient) {
  // The WMS lists its few sites in one call; every warehouse lookup of the
  // request shares that one answer.
  let sites: Promise<Warehouse[]> | undefined;
  const allWarehouses = () => (sites ??= inventory.sites().then((list) => list.map(toWarehouse)));

  return {
    allWarehouses,
    warehousesById: createBatchLoader(
      () => allWarehouses(),
      (w) => w.id,
    ),
    stockBySku: createBatchLoader(
      async (skus) => (await inventory.stockOfItems(skus)).map(toProductStock),
      (s) => s.sku,
    ),
    shipmentsByOrderId: createGroupedLoader(
      async (orderIds) => (await inventory.shipmentsOfOrders(orderIds)).map(toShipment),
      (s) => s.orderId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
