import type { ErpContext } from '../context.js';
import type { Invoice as InvoiceModel } from '../model.js';
import { customerOfClient } from './customerOfClient.js';

export const Invoice = {
  async __resolveReference(ref: { id: string }, ctx: ErpContext) {
    return /^\d{1,18}$/.test(ref.id) ? ctx.loaders.invoicesById.load(ref.id) : null;
  },
  order: (invoice: InvoiceModel, _: unknown, ctx: ErpContext) =>
    ctx.loaders.ordersById.load(invoice.orderId),
  customer: (invoice: InvoiceModel, _: unknown, ctx: ErpContext) =>
    customerOfClient(invoice.clientNumber, ctx),
};
