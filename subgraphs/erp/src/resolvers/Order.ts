import type { ErpContext } from '../context.js';
import type { Order as OrderModel } from '../model.js';
import { customerOfClient } from './customerOfClient.js';

export const Order = {
  async __resolveReference(ref: { id: string }, ctx: ErpContext) {
    return /^\d{1,18}$/.test(ref.id) ? ctx.loaders.ordersById.load(ref.id) : null;
  },
  customer: (order: OrderModel, _: unknown, ctx: ErpContext) =>
    customerOfClient(order.clientNumber, ctx),
  invoice: (order: OrderModel, _: unknown, ctx: ErpContext) =>
    ctx.loaders.invoicesByOrderId.load(order.id),
};
