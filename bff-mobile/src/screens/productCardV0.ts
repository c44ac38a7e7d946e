import { displayMoney } from '@bff/bff-kit';

import type { ProductData } from './productCard.js';

/**
 * `GET /m/v0/products/:sku`, deprecated: the card as app releases before v1
 * render it. `price` is the display string only, `stock` the available
 * quantity; absent keys are values the graph did not have.
 */
export interface ProductCardV0 {
  sku: string;
  name?: string;
  price?: string;
  stock?: number;
}

export function productCardV0Of(product: ProductData): ProductCardV0 {
  const card: ProductCardV0 = { sku: product.sku };
  if (product.name !== null) card.name = product.name;
  if (product.price) card.price = displayMoney(product.price);
  if (product.stock) card.stock = product.stock.available;
  return card;
}
