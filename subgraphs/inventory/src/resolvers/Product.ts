import type { InventoryContext } from '../context.js';

type ProductRef = { sku: string };

/** Stock loads (batched) when asked for; an item the WMS never stocked has none. */
async function stockOf(product: ProductRef, ctx: InventoryContext) {
  return (
    (await ctx.loaders.stockBySku.load(product.sku)) ?? {
      sku: product.sku,
      stock: { onHand: 0, reserved: 0, available: 0 },
      stockByWarehouse: [],
    }
  );
}

export const Product = {
  __resolveReference: (ref: ProductRef) => ({ sku: ref.sku }),
  stock: async (product: ProductRef, _: unknown, ctx: InventoryContext) =>
    (await stockOf(product, ctx)).stock,
  stockByWarehouse: async (product: ProductRef, _: unknown, ctx: InventoryContext) =>
    (await stockOf(product, ctx)).stockByWarehouse,
  inStock: async (product: ProductRef, _: unknown, ctx: InventoryContext) =>
    (await stockOf(product, ctx)).stock.available > 0,
};
