import { pageRequest, toConnection } from '@bff/core';
import type { ConnectionArgs } from '@bff/core';

import type { CrmContext } from '../context.js';
import type { Customer as CustomerModel } from '../model.js';

export const Customer = {
  async __resolveReference(ref: { id: string }, ctx: CrmContext) {
    return /^[\w.:-]{1,64}$/.test(ref.id) ? ctx.loaders.customersById.load(ref.id) : null;
  },

  accountManager(customer: CustomerModel, _: unknown, ctx: CrmContext) {
    return customer.accountManagerId
      ? ctx.loaders.accountManagersById.load(customer.accountManagerId)
      : null;
  },

  async activities(customer: CustomerModel, args: ConnectionArgs, ctx: CrmContext) {
    const page = pageRequest(args, { kind: 'activity' });
    const result = await ctx.loaders.activitiesByCustomer.load({
      parent: customer.id,
      limit: page.limit,
      afterKey: page.afterKey,
      filter: '',
    });
    return toConnection(page, result, (a) => a.id);
  },
};
