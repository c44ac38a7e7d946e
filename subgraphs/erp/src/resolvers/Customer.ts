import { badUserInput, pageRequest, toConnection } from '@bff/core';
import type { ChildPage, ConnectionArgs, PageKey } from '@bff/core';
import type DataLoader from 'dataloader';

import type { ErpContext } from '../context.js';
import { toAccount } from '../erp/mapErp.js';
import type { CustomerRef, Invoice, InvoiceStatus, Order, OrderStatus } from '../model.js';

/**
 * One page of a customer's orders or invoices. The ERP files them under its
 * client number, found through the CRM id the ERP keeps as a cross-reference;
 * a prospect the ERP has no client for has none.
 */
async function clientPage<T, F extends string>(
  customer: CustomerRef,
  args: ConnectionArgs & { status?: F | null },
  ctx: ErpContext,
  kind: string,
  loader: DataLoader<PageKey<F>, ChildPage<T>, string>,
  keyOf: (item: T) => string,
) {
  const page = pageRequest(args, { kind });
  const client = await ctx.loaders.clientsByCrmId.load(customer.id);
  const result = client
    ? await loader.load({
        parent: client.client_number,
        limit: page.limit,
        afterKey: page.afterKey,
        filter: args.status ?? '',
      })
    : { items: [], hasMore: false };
  return toConnection(page, result, keyOf);
}

/** The ERP's side of a customer. */
export const Customer = {
  // Fields load lazily: a query that asks only for `orders` never reads the account.
  __resolveReference(ref: CustomerRef): CustomerRef {
    return { id: ref.id };
  },

  async account(customer: CustomerRef, _: unknown, ctx: ErpContext) {
    const client = await ctx.loaders.clientsByCrmId.load(customer.id);
    return client ? toAccount(client) : null;
  },

  async orders(
    customer: CustomerRef,
    args: ConnectionArgs & { status?: OrderStatus | null },
    ctx: ErpContext,
  ) {
    const connection = await clientPage(
      customer,
      args,
      ctx,
      'order',
      ctx.loaders.ordersByClient,
      (o) => o.id,
    );
    for (const order of connection.nodes) ctx.loaders.ordersById.prime(order.id, order);
    return connection;
  },

  /** Orders and invoices together, newest first: one page of each, merged by date. */
  async recentDocuments(customer: CustomerRef, args: { limit?: number | null }, ctx: ErpContext) {
    const limit = args.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 20) {
      throw badUserInput(`"limit" must be between 1 and 20; got ${limit}.`, {
        argument: 'limit',
        min: 1,
        max: 20,
        actual: limit,
      });
    }
    const client = await ctx.loaders.clientsByCrmId.load(customer.id);
    if (!client) return [];
    const shape = { parent: client.client_number, limit, afterKey: undefined, filter: '' as const };
    const [orders, invoices] = await Promise.all([
      ctx.loaders.ordersByClient.load(shape),
      ctx.loaders.invoicesByClient.load(shape),
    ]);
    const dated = [
      ...orders.items.map((order: Order) => ({ at: order.createdAt, document: order })),
      ...invoices.items.map((invoice: Invoice) => ({
        at: `${invoice.issuedOn}T00:00:00Z`,
        document: invoice,
      })),
    ];
    return dated
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, limit)
      .map((entry) => entry.document);
  },

  async invoices(
    customer: CustomerRef,
    args: ConnectionArgs & { status?: InvoiceStatus | null },
    ctx: ErpContext,
  ) {
    const connection = await clientPage(
      customer,
      args,
      ctx,
      'invoice',
      ctx.loaders.invoicesByClient,
      (i) => i.id,
    );
    for (const invoice of connection.nodes) ctx.loaders.invoicesById.prime(invoice.id, invoice);
    return connection;
  },
};
