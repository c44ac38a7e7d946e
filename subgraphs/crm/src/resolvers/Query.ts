import { badUserInput, notFound, pageRequest, toConnection } from '@bff/core';
import type { ConnectionArgs } from '@bff/core';

import type { CrmContext } from '../context.js';
import { toCustomer, toTier } from '../crm/mapCrm.js';
import type { CustomerSegment } from '../model.js';

/** A key the CRM could hold: printable and bounded, so it is safe in a URL. */
export function customerId(value: string): string {
  if (!/^[\w.:-]{1,64}$/.test(value)) {
    throw badUserInput(`"id" is not a valid customer id; got ${JSON.stringify(value)}.`, {
      argument: 'id',
    });
  }
  return value;
}

export const Query = {
  async customer(_: unknown, args: { id: string }, ctx: CrmContext) {
    const customer = await ctx.loaders.customersById.load(customerId(args.id));
    if (!customer)
      throw notFound(`No customer has id ${JSON.stringify(args.id)}.`, { argument: 'id' });
    return customer;
  },

  async customers(
    _: unknown,
    args: ConnectionArgs & { segment?: CustomerSegment | null },
    ctx: CrmContext,
  ) {
    const page = pageRequest(args, { kind: 'customer' });
    const result = await ctx.crm.listContacts({
      limit: page.limit,
      afterKey: page.afterKey,
      tier: args.segment ? toTier(args.segment) : undefined,
    });
    const customers = result.items.map(toCustomer);
    for (const customer of customers) ctx.loaders.customersById.prime(customer.id, customer);
    return toConnection(page, { items: customers, hasMore: result.hasMore }, (c) => c.id);
  },
};
