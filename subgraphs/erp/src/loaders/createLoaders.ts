import { createBatchLoader, createPageLoader } from '@bff/core';
import { readThrough } from '@bff/shared-state';

import type { ProductCache } from '../cache/ProductCache.js';

import type { ErpClient } from '../erp/ErpClient.js';
import { fromOrderStatus, toInvoice, toOrder, toProduct } from '../erp/mapErp.js';
import type { ErpClientAccount } from '../erp/types.js';
import type { Invoice, InvoiceStatus, Order, OrderStatus } from '../model.js';

/** The ERP `/by-client` endpoints take at most 100 clients per call. */
const clientsPerCall = 100;

/**
 * The DataLoaders of one GraphQL request. Everything asked for in one tick
 * costs one ERP call per kind of data, however long the list (and products
 * held in the cache none).
 */
export function createLoaders(erp: ErpClient, products?: ProductCache) {
  const clientsByNumber = createBatchLoader(
    (numbers) => erp.clientsByNumber(numbers),
    (c: ErpClientAccount) => c.client_number,
  );
  const clientsByCrmId = createBatchLoader(
    (ids) => erp.clientsByCrmId(ids),
    (c: ErpClientAccount) => c.crm_contact_id,
  );
  // With a cache, only its misses reach the ERP, still in one call per batch.
  const productsBySku = createBatchLoader(
    (skus) =>
      readThrough(skus, products, async (misses) =>
        (await erp.productsBySku(misses)).map(toProduct),
      ),
    (p) => p.sku,
  );
  const ordersById = createBatchLoader(
    async (ids) => (await erp.ordersById(ids)).map(toOrder),
    (o) => o.id,
  );
  const invoicesById = createBatchLoader(
    async (ids) => (await erp.invoicesById(ids)).map(toInvoice),
    (i) => i.id,
  );
  const invoicesByOrderId = createBatchLoader(
    async (ids) => (await erp.invoicesOfOrders(ids)).map(toInvoice),
    (i) => i.orderId,
  );
  const ordersByClient = createPageLoader<Order, OrderStatus>(
    async (clientNumbers, { limit, afterKey, filter }) => {
      const pages = await erp.ordersOfClients(clientNumbers, {
        limit,
        afterKey,
        filter: { status: filter ? fromOrderStatus(filter) : undefined },
      });
      return new Map(
        [...pages].map(([client, page]) => [client, { ...page, items: page.items.map(toOrder) }]),
      );
    },
    { maxBatchSize: clientsPerCall },
  );
  const invoicesByClient = createPageLoader<Invoice, InvoiceStatus>(
    async (clientNumbers, { limit, afterKey, filter }) => {
      const pages = await erp.invoicesOfClients(clientNumbers, {
        limit,
        afterKey,
        // Canonical invoice statuses are the ERP's own.
        filter: { status: filter || undefined },
      });
      return new Map(
        [...pages].map(([client, page]) => [client, { ...page, items: page.items.map(toInvoice) }]),
      );
    },
    { maxBatchSize: clientsPerCall },
  );

  return {
    clientsByNumber,
    clientsByCrmId,
    productsBySku,
    ordersById,
    invoicesById,
    invoicesByOrderId,
    ordersByClient,
    invoicesByClient,
    /** Records read through a list are primed, so a later lookup by id costs nothing. */
    primeClient(client: ErpClientAccount) {
      clientsByNumber.prime(client.client_number, client);
      clientsByCrmId.prime(client.crm_contact_id, client);
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
