import { ApiError, apiErrorOf, callerOf, displayMoney, sendError, sendScreen } from '@bff/bff-kit';
import type { GatewayClient, TrustedDocument } from '@bff/bff-kit';
import { ErrorCode } from '@bff/core';
import type { Request, Response } from 'express';

/** What the product card renders; absent keys are values the graph did not have. */
export interface ProductCard {
  sku: string;
  name?: string;
  price?: { amount: string; currency: string; display: string };
  available?: number;
  inStock?: boolean;
}

/** What the ProductCard document answers for `product`. */
export interface ProductData {
  sku: string;
  name: string | null;
  price: { amount: string; currency: string } | null;
  stock: { available: number } | null;
  inStock: boolean | null;
}

const skuPattern = /^[\w.-]{1,64}$/;

/**
 * `GET /m/<version>/products/:sku`: one document for every version, each
 * with its own `shape` (v1's `productCardOf` unless told otherwise).
 */
export function productCardHandler(
  gateway: GatewayClient,
  document: TrustedDocument,
  shape: (product: ProductData) => object = productCardOf,
) {
  return async (req: Request<{ sku: string }>, res: Response): Promise<void> => {
    const { sku } = req.params;
    if (!skuPattern.test(sku)) {
      sendError(req, res, new ApiError(ErrorCode.BAD_USER_INPUT, 400, 'Not a SKU.', { sku }));
      return;
    }
    const result = await gateway.execute(document, { sku }, callerOf(req));
    const product =
      result.kind === 'answer' ? (result.data?.product as ProductData | null | undefined) : null;
    if (product) {
      sendScreen(req, res, shape(product));
      return;
    }
    const error =
      apiErrorOf(result) ??
      new ApiError(ErrorCode.NOT_FOUND, 404, `No product with SKU ${sku}.`, { sku });
    if (error.status >= 500) req.log.error({ gateway: result }, 'gateway failed');
    if (error.code === ErrorCode.NOT_FOUND) {
      sendError(req, res, new ApiError(ErrorCode.NOT_FOUND, 404, error.message, { sku }));
      return;
    }
    sendError(req, res, error);
  };
}

export function productCardOf(product: ProductData): ProductCard {
  const card: ProductCard = { sku: product.sku };
  if (product.name !== null) card.name = product.name;
  if (product.price) card.price = { ...product.price, display: displayMoney(product.price) };
  if (product.stock) card.available = product.stock.available;
  if (product.inStock !== null) card.inStock = product.inStock;
  return card;
}
