import { badUserInput, notFound } from '@bff/core';

import type { InventoryContext } from '../context.js';

export const Query = {
  async warehouse(_: unknown, args: { id: string }, ctx: InventoryContext) {
    if (!/^[\w.:-]{1,64}$/.test(args.id)) {
      throw badUserInput(`"id" is not a valid warehouse id; got ${JSON.stringify(args.id)}.`, {
        argument: 'id',
      });
    }
    const warehouse = await ctx.loaders.warehousesById.load(args.id);
    if (!warehouse)
      throw notFound(`No warehouse has id ${JSON.stringify(args.id)}.`, { argument: 'id' });
    return warehouse;
  },
  warehouses: (_: unknown, __: unknown, ctx: InventoryContext) => ctx.loaders.allWarehouses(),
};
