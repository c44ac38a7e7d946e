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

/** One row of the feed; absent keys are values the graph did not have. */
export interface OrderRow {
  id: string;
  number: string;
  status: string;
  placedOn: string;
  total: DisplayMoney;
  customerName?: string;
  lineCount: number;
}

/** `GET /m/v1/orders`: newest first, `nextCursor` absent on the last page. */
export interface OrderFeed {
  orders: OrderRow[];
  nextCursor?: string;
  partial?: string[];
}

interface OrderFeedData {
  nodes: {
    id: string;
    number: string;
    status: string;
    orderDate: string;
    total: Money;
    customer: { id: string; name: string | null };
    lines: unknown[];
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const defaultFeedLimit = 20;
export const maxFeedLimit = 50;

/** `GET /m/v1/orders?cursor=…&limit=…` */
export function orderFeedHandler(gateway: GatewayClient, document: TrustedDocument) {
  return async (req: Request, res: Response): Promise<void> => {
    const page = pageRequestOf(req.query, {
      sizeParam: 'limit',
      cursorParam: 'cursor',
      defaultSize: defaultFeedLimit,
      maxSize: maxFeedLimit,
    });
    if (page instanceof ApiError) {
      sendError(req, res, page);
      return;
    }
    const result = await gateway.execute(
      document,
      { first: page.size, after: page.cursor },
      callerOf(req),
    );
    const orders = rootOf<OrderFeedData>(result, 'orders');
    if (!orders) {
      const error = failureOf(
        req,
        result,
        'orders',
        () => new ApiError(ErrorCode.UPSTREAM_UNAVAILABLE, 502, 'The gateway had no orders.'),
      );
      if (error.status >= 500) req.log.error({ gateway: result }, 'gateway failed');
      sendError(req, res, error);
      return;
    }
    const feed: OrderFeed = { orders: orders.nodes.map(orderRowOf) };
    if (orders.pageInfo.hasNextPage && orders.pageInfo.endCursor)
      feed.nextCursor = orders.pageInfo.endCursor;
    const partial =
      result.kind === 'answer'
        ? missingParts(result.errors, (path) => (path.includes('customer') ? 'customer' : 'orders'))
        : undefined;
    if (partial) feed.partial = partial;
    sendScreen(req, res, withoutNulls(feed));
  };
}

function orderRowOf(order: OrderFeedData['nodes'][number]): OrderRow {
  return withoutNulls({
    id: order.id,
    number: order.number,
    status: order.status,
    placedOn: order.orderDate,
    total: moneyOf(order.total),
    customerName: order.customer.name ?? undefined,
    lineCount: order.lines.length,
  });
}
