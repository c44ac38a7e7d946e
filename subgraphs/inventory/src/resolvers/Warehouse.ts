import type { InventoryContext } from '../context.js';

export const Warehouse = {
  __resolveReference: (ref: { id: string }, ctx: InventoryContext) =>
    ctx.loaders.warehousesById.load(ref.id),
};

/** `warehouse` fields hold only the id; the rest loads from the request's one sites call. */
export const warehouseOf = (
  parent: { warehouse: { id: string } },
  _: unknown,
  ctx: InventoryContext,
) => ctx.loaders.warehousesById.load(parent.warehouse.id);
