import {
  ApiError,
  callerOf,
  failureOf,
  missingParts,
  moneyOf,
  pageRequestOf,
  rootOf,
  sendError,
  sendScreen,
  withoutNulls,
} from '@bff/bff-kit';
import type { DisplayMoney, GatewayClient, Money, TrustedDocument } from '@bff/bff-kit';
import { ErrorCode } from '@bff/core';
import type { Request, Response } from 'express';

interface ProductSearchData {
  nodes: {
    sku: string;
    name: string | null;
    category: string | null;
    unit: string | null;
    price: Money | null;
    inStock: boolean | null;
    stock: { available: number } | null;
    stockByWarehouse: { warehouse: { id: string; name: string }; available: number }[] | null;
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ProductHit {
  sku: string;
  name?: string;
  category?: string;
  unit?: string;
  price?: DisplayMoney;
  inStock?: boolean;
  available?: number;
  warehouses?: { id: string; name: string; available: number }[];
}

/** `GET /pages/products?search=…`: matches by SKU order, `nextCursor` absent on the last page. */
export interface ProductSearch {
  search: string;
  products: ProductHit[];
  nextCursor?: string;
  partial?: string[];
}

export const defaultSearchLimit = 20;
export const maxSearchLimit = 50;

/** `GET /pages/products?search=…&first=…&after=…` */
export function productSearchHandler(gateway: GatewayClient, document: TrustedDocument) {
  return async (req: Request, res: Response): Promise<void> => {
    const { search } = req.query;
    if (typeof search !== 'string' || search.trim().length === 0 || search.length > 100) {
      sendError(
        req,
        res,
        new ApiError(ErrorCode.BAD_USER_INPUT, 400, 'search must be 1 to 100 characters.', {
          search: typeof search === 'string' ? search.slice(0, 120) : search,
        }),
      );
      return;
    }
    const request = pageRequestOf(req.query, {
      sizeParam: 'first',
      cursorParam: 'after',
      defaultSize: defaultSearchLimit,
      maxSize: maxSearchLimit,
    });
    if (request instanceof ApiError) {
      sendError(req, res, request);
      return;
    }
    const result = await gateway.execute(
      document,
      { search: search.trim(), first: request.size, after: request.cursor },
      callerOf(req),
    );
    const products = rootOf<ProductSearchData>(result, 'products');
    if (!products) {
      const error = failureOf(
        req,
        result,
        'products',
        () => new ApiError(ErrorCode.UPSTREAM_UNAVAILABLE, 502, 'The gateway had no products.'),
      );
      if (error.status >= 500) req.log.error({ gateway: result }, 'gateway failed');
      sendError(req, res, error);
      return;
    }
    const page: ProductSearch = { search: search.trim(), products: products.nodes.map(hitOf) };
    if (products.pageInfo.hasNextPage && products.pageInfo.endCursor)
      page.nextCursor = products.pageInfo.endCursor;
    const partial =
      result.kind === 'answer'
        ? missingParts(result.errors, (path) =>
            path.includes('stock') || path.includes('stockByWarehouse') || path.includes('inStock')
              ? 'stock'
              : 'products',
          )
        : undefined;
    if (partial) page.partial = partial;
    sendScreen(req, res, page);
  };
}

function hitOf(product: ProductSearchData['nodes'][number]): ProductHit {
  return withoutNulls({
    sku: product.sku,
    name: product.name,
    category: product.category,
    unit: product.unit,
    price: product.price ? moneyOf(product.price) : undefined,
    inStock: product.inStock,
    available: product.stock?.available,
    warehouses: product.stockByWarehouse?.map((entry) => ({
      ...entry.warehouse,
      available: entry.available,
    })),
  }) as ProductHit;
}
