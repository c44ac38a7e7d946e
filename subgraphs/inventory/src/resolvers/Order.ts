import type { InventoryContext } from '../context.js';
import { fulfilmentOf } from '../inventory/mapInventory.js';

type OrderRef = { id: string };

export const Order = {
  __resolveReference: (ref: OrderRef) => ({ id: ref.id }),
  shipments: (order: OrderRef, _: unknown, ctx: InventoryContext) =>
    ctx.loaders.shipmentsByOrderId.load(order.id),
  fulfilmentStatus: async (order: OrderRef, _: unknown, ctx: InventoryContext) =>
    fulfilmentOf(await ctx.loaders.shipmentsByOrderId.load(order.id)),
};
