import { notFound } from '@bff/core';

import type { ErpContext } from '../context.js';
import type { Product as ProductModel, ProductRef } from '../model.js';

type ProductParent = ProductModel | ProductRef;

/** Order lines hand over only a SKU; the product itself loads (batched) when a field needs it. */
async function productOf(parent: ProductParent, ctx: ErpContext): Promise<ProductModel> {
  if ('name' in parent) return parent;
  const product = await ctx.loaders.productsBySku.load(parent.sku);
  if (!product) throw notFound(`The ERP has no product with SKU ${JSON.stringify(parent.sku)}.`);
  return product;
}

function field<K extends keyof ProductModel>(key: K) {
  return async (parent: ProductParent, _: unknown, ctx: ErpContext) =>
    (await productOf(parent, ctx))[key];
}

export const Product = {
  async __resolveReference(ref: ProductRef, ctx: ErpContext) {
    return ctx.loaders.productsBySku.load(ref.sku);
  },
  sku: (parent: ProductParent) => parent.sku,
  name: field('name'),
  description: field('description'),
  category: field('category'),
  price: field('price'),
  unitCost: field('unitCost'),
  unit: field('unit'),
  active: field('active'),
};
