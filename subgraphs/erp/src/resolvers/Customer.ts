import { pageRequest, toConnection } from '@bff/core';
import type { ChildPage, ConnectionArgs, PageKey } from '@bff/core';
import type DataLoader from 'dataloader';

import type { ErpContext } from '../context.js';
import { toAccount } from '../erp/mapErp.js';
import type { CustomerRef, InvoiceStatus, OrderStatus } from '../model.js';

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
