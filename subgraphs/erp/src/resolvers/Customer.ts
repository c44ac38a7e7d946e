import { pageRequest, toConnection } from '@bff/core';
import type { ConnectionArgs } from '@bff/core';

import type { ErpContext } from '../context.js';
import { toAccount } from '../erp/mapErp.js';
import type { CustomerRef, InvoiceStatus, OrderStatus } from '../model.js';

const emptyPage = { items: [], hasMore: false };

/** The ERP's side of a customer: found by the CRM id the ERP keeps as a cross-reference. */
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
    const page = pageRequest(args, { kind: 'order' });
    const client = await ctx.loaders.clientsByCrmId.load(customer.id);
    const result = client
      ? await ctx.loaders.ordersByClient.load({
          parent: client.client_number,
          limit: page.limit,
          afterKey: page.afterKey,
          filter: args.status ?? '',
        })
      : emptyPage;
    for (const order of result.items) ctx.loaders.ordersById.prime(order.id, order);
    return toConnection(result.items, (o) => o.id, 'order', {
      hasNextPage: result.hasMore,
      isFirstPage: page.afterKey === undefined,
    });
  },

  async invoices(
    customer: CustomerRef,
    args: ConnectionArgs & { status?: InvoiceStatus | null },
    ctx: ErpContext,
  ) {
    const page = pageRequest(args, { kind: 'invoice' });
    const client = await ctx.loaders.clientsByCrmId.load(customer.id);
    const result = client
      ? await ctx.loaders.invoicesByClient.load({
          parent: client.client_number,
          limit: page.limit,
          afterKey: page.afterKey,
          filter: args.status ?? '',
        })
      : emptyPage;
    for (const invoice of result.items) ctx.loaders.invoicesById.prime(invoice.id, invoice);
    return toConnection(result.items, (i) => i.id, 'invoice', {
      hasNextPage: result.hasMore,
      isFirstPage: page.afterKey === undefined,
    });
  },
};
