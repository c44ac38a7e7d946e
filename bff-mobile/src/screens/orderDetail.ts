import { moneyOf, oneObjectScreenHandler, withoutNulls } from '@bff/bff-kit';
import type { DisplayMoney, GatewayClient, Money, TrustedDocument } from '@bff/bff-kit';

export interface OrderDetailLine {
  sku: string;
  name: string;
  quantity: number;
  total: DisplayMoney;
  available?: number;
  inStock?: boolean;
}

/** `GET /m/v1/orders/:id`; absent keys are values the graph did not have. */
export interface OrderDetail {
  id: string;
  number: string;
  status: string;
  placedOn: string;
  fulfilment?: string;
  customer: { id: string; name?: string };
  /** Included in `total`; the subtotal is their difference, which the app can show. */
  tax: DisplayMoney;
  total: DisplayMoney;
  lineCount: number;
  lines: OrderDetailLine[];
  partial?: string[];
}

interface OrderDetailData {
  id: string;
  number: string;
  status: string;
  orderDate: string;
  fulfilmentStatus: string | null;
  tax: Money;
  total: Money;
  customer: { id: string; name: string | null };
  lines: {
    description: string;
    quantity: number;
    lineTotal: Money;
    product: { sku: string; inStock: boolean | null; stock: { available: number } | null };
  }[];
}

/** A phone screen shows this many lines; `lineCount` says how many the order has. */
export const maxDetailLines = 20;

/** `GET /m/v1/orders/:id` */
export function orderDetailHandler(gateway: GatewayClient, document: TrustedDocument) {
  return oneObjectScreenHandler(gateway, document, {
    root: 'order',
    idName: 'an order id',
    notFound: (id) => `No order ${id}.`,
    shape: orderDetailOf,
    partOf: partOfOrderDetail,
  });
}

function partOfOrderDetail(path: readonly (string | number)[]): string {
  if (path.includes('customer')) return 'customer';
  if (path.includes('product')) return 'availability';
  if (path.includes('fulfilmentStatus')) return 'fulfilment';
  return 'order';
}

export function orderDetailOf(order: OrderDetailData): OrderDetail {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    placedOn: order.orderDate,
    ...(order.fulfilmentStatus !== null ? { fulfilment: order.fulfilmentStatus } : {}),
    customer: withoutNulls({ id: order.customer.id, name: order.customer.name }) as {
      id: string;
      name?: string;
    },
    tax: moneyOf(order.tax),
    total: moneyOf(order.total),
    lineCount: order.lines.length,
    lines: order.lines.slice(0, maxDetailLines).map((line) => ({
      sku: line.product.sku,
      name: line.description,
      quantity: line.quantity,
      total: moneyOf(line.lineTotal),
      ...(line.product.stock ? { available: line.product.stock.available } : {}),
      ...(line.product.inStock !== null ? { inStock: line.product.inStock } : {}),
    })),
  };
}
