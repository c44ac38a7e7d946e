import type { EntityKeyOf, JobHandler, UpstreamEvent } from '@bff/events';

import type { ProductCache } from '../cache/ProductCache.js';
import type { ErpClientFactory } from '../context.js';
import { toProduct } from '../erp/mapErp.js';

/** A `product.changed` event as the ERP sends it: which product, which fields. */
export type ProductChangedEvent = UpstreamEvent<{ sku: string; changed?: string[] }>;

/** Events of one product are applied in order, so an older read never overwrites a newer one. */
export const productEventKey: EntityKeyOf = (data) =>
  typeof data.sku === 'string' && data.sku.length > 0 ? data.sku : undefined;

/**
 * Applies a product event: the product's cache entry is dropped, then the
 * product is read again from the ERP (the source of truth: the event only
 * says what changed) and cached, so the next query neither sees the old
 * price nor waits for the ERP. Repeating it is harmless, as a job must be.
 */
export function applyProductChanged(
  cache: ProductCache,
  erpFor: ErpClientFactory,
): JobHandler<ProductChangedEvent> {
  return async (event, call) => {
    const sku = event.data.sku;
    // Dropped first: if the read below fails, queries still go to the ERP.
    await cache.invalidate(sku);
    const products = await erpFor(call).productsBySku([sku]);
    await cache.set(products.map(toProduct));
  };
}
