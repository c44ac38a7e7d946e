import type { EntityKeyOf, JobHandler, UpstreamEvent } from '@bff/events';

import type { ReferenceCache } from '../cache/ReferenceCache.js';
import type { InventoryClientFactory } from '../context.js';
import { toProductStock } from '../inventory/mapInventory.js';

/** A `stock.changed` event as the inventory system sends it. */
export type StockChangedEvent = UpstreamEvent<{ item_code: string; site?: string }>;

/** Events of one item are applied in order, so an older read never overwrites a newer one. */
export const stockEventKey: EntityKeyOf = (data) =>
  typeof data.item_code === 'string' && data.item_code.length > 0 ? data.item_code : undefined;

/**
 * Applies a stock event: the item's cached stock is dropped, then read again
 * from the inventory system (the source of truth; the event only says that it
 * changed) and cached. Repeating it is harmless, as a job must be.
 */
export function applyStockChanged(
  cache: ReferenceCache,
  inventoryFor: InventoryClientFactory,
): JobHandler<StockChangedEvent> {
  return async (event, call) => {
    const sku = event.data.item_code;
    // Dropped first: if the read below fails, queries still go to the source of truth.
    await cache.invalidateStock(sku);
    const items = await inventoryFor(call).stockOfItems([sku]);
    await cache.setStock(items.map(toProductStock));
  };
}
