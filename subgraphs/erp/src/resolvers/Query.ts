import { badUserInput, notFound, pageRequest, toConnection } from '@bff/core';
import type { ConnectionArgs } from '@bff/core';

import type { ErpContext } from '../context.js';
import { fromOrderStatus, toOrder, toProduct } from '../erp/mapErp.js';
import type { OrderStatus } from '../model.js';
import { erpDocumentId, erpKey } from './ids.js';

export const Query = {
  async product(_: unknown, args: { sku: string }, ctx: ErpContext) {
    const product = await ctx.loaders.productsBySku.load(erpKey(args.sku, 'sku'));
    if (!product)
      throw notFound(`No product has SKU ${JSON.stringify(args.sku)}.`, { argument: 'sku' });
    return product;
  },

  async products(
    _: unknown,
    args: ConnectionArgs & { category?: string | null; search?: string | null },
    ctx: ErpContext,
  ) {
    const page = pageRequest(args, { kind: 'product' });
    const search = productSearch(args.search);
    const result = await ctx.erp.listProducts({
      limit: page.limit,
      afterKey: page.afterKey,
      filter: { category: args.category ?? undefined, search },
    });
    const products = result.items.map(toProduct);
    for (const product of products) ctx.loaders.productsBySku.prime(product.sku, product);
    return toConnection(page, { items: products, hasMore: result.hasMore }, (p) => p.sku);
  },

  async order(_: unknown, args: { id: string }, ctx: ErpContext) {
    const order = await ctx.loaders.ordersById.load(erpDocumentId(args.id, 'id'));
    if (!order) throw notFound(`No order has id ${JSON.stringify(args.id)}.`, { argument: 'id' });
    return order;
  },

  async orders(
    _: unknown,
    args: ConnectionArgs & { status?: OrderStatus | null },
    ctx: ErpContext,
  ) {
    const page = pageRequest(args, { kind: 'order' });
    const result = await ctx.erp.listOrders({
      limit: page.limit,
      afterKey: page.afterKey,
      filter: { status: args.status ? fromOrderStatus(args.status) : undefined },
    });
    const orders = result.items.map(toOrder);
    for (const order of orders) ctx.loaders.ordersById.prime(order.id, order);
    return toConnection(page, { items: orders, hasMore: result.hasMore }, (o) => o.id);
  },

  async invoice(_: unknown, args: { id: string }, ctx: ErpContext) {
    const invoice = await ctx.loaders.invoicesById.load(erpDocumentId(args.id, 'id'));
    if (!invoice)
      throw notFound(`No invoice has id ${JSON.stringify(args.id)}.`, { argument: 'id' });
    return invoice;
  },
};

const searchLimits = { min: 1, max: 100 };

/**
 * `products(search:)`, checked here so a bad value is the caller's
 * BAD_USER_INPUT naming the argument, not an ERP 400 after a round trip.
 */
function productSearch(search: string | null | undefined): string | undefined {
  if (search == null) return undefined;
  // Code points, as the ERP counts them, so an emoji or an accented letter counts once.
  const length = [...search].length;
  if (length < searchLimits.min || length > searchLimits.max) {
    throw badUserInput(
      `"search" must be ${searchLimits.min} to ${searchLimits.max} characters; got ${length}.`,
      { argument: 'search', min: searchLimits.min, max: searchLimits.max, actual: length },
    );
  }
  return search;
}
