import { moneyOf, oneObjectScreenHandler, withoutNulls } from '@bff/bff-kit';
import type { DisplayMoney, GatewayClient, Money, TrustedDocument } from '@bff/bff-kit';

interface OrderPageData {
  id: string;
  number: string;
  status: string;
  orderDate: string;
  createdAt: string;
  currency: string;
  fulfilmentStatus: string | null;
  subtotal: Money;
  tax: Money;
  total: Money;
  customer: {
    id: string;
    name: string | null;
    company: string | null;
    segment: string | null;
    email: string | null;
    phone: string | null;
    accountManager: { name: string; email: string } | null;
    account: {
      creditLimit: Money;
      balance: Money;
      availableCredit: Money;
      paymentTerms: string;
      blocked: boolean;
    } | null;
    activities: { nodes: { type: string; subject: string; occurredAt: string }[] } | null;
  };
  lines: {
    lineNumber: number;
    description: string;
    quantity: number;
    unitPrice: Money;
    lineTotal: Money;
    product: {
      sku: string;
      name: string | null;
      description: string | null;
      category: string | null;
      unit: string | null;
      price: Money | null;
      inStock: boolean | null;
      stock: { onHand: number; reserved: number; available: number } | null;
      stockByWarehouse:
        { warehouse: { id: string; name: string; city: string }; available: number }[] | null;
    };
  }[];
  invoice: {
    id: string;
    number: string;
    status: string;
    issuedOn: string;
    dueOn: string;
    amountDue: Money;
  } | null;
  shipments:
    | {
        id: string;
        carrier: string;
        trackingNumber: string;
        status: string;
        shippedAt: string | null;
        deliveredAt: string | null;
        warehouse: { id: string; name: string; city: string; country: string };
        lines: { quantity: number; product: { sku: string } }[];
      }[]
    | null;
}

export interface OrderPageLine {
  lineNumber: number;
  sku: string;
  description: string;
  quantity: number;
  unitPrice: DisplayMoney;
  total: DisplayMoney;
  product: {
    name?: string;
    description?: string;
    category?: string;
    unit?: string;
    /** The list price today, beside what this order was charged. */
    listPrice?: DisplayMoney;
    inStock?: boolean;
    stock?: { onHand: number; reserved: number; available: number };
    warehouses?: {
      id: string;
      name: string;
      city: string;
      country: string;
      onHand: number;
      reserved: number;
      available: number;
    }[];
  };
}

/**
 * `GET /pages/orders/:id`: the whole order (ERP); its customer (CRM) with
 * account manager and recent activities; every line with the product's
 * description, list price and stock per warehouse; the shipments and what
 * each carried (inventory); and, for a user with finance:read, the
 * customer's ERP account and the invoice. Absent keys are values the graph
 * did not have or the user may not see.
 */
export interface OrderPage {
  order: {
    id: string;
    number: string;
    status: string;
    placedOn: string;
    createdAt: string;
    currency: string;
    fulfilment?: string;
    subtotal: DisplayMoney;
    tax: DisplayMoney;
    total: DisplayMoney;
  };
  customer: {
    id: string;
    name?: string;
    company?: string;
    segment?: string;
    email?: string;
    phone?: string;
    accountManager?: { name: string; email: string };
    /** The ERP account, for a user with finance:read. */
    account?: {
      creditLimit: DisplayMoney;
      balance: DisplayMoney;
      availableCredit: DisplayMoney;
      paymentTerms: string;
      blocked: boolean;
    };
    recentActivities: { type: string; subject: string; occurredAt: string }[];
  };
  lines: OrderPageLine[];
  invoice?: {
    id: string;
    number: string;
    status: string;
    issuedOn: string;
    dueOn: string;
    amountDue: DisplayMoney;
  };
  shipments: {
    id: string;
    carrier: string;
    trackingNumber: string;
    status: string;
    shippedAt?: string;
    deliveredAt?: string;
    warehouse: { id: string; name: string; city: string; country: string };
    lines: { sku: string; quantity: number }[];
  }[];
  partial?: string[];
}

/** `GET /pages/orders/:id` */
export function orderPageHandler(gateway: GatewayClient, document: TrustedDocument) {
  return oneObjectScreenHandler(gateway, document, {
    root: 'order',
    idName: 'an order id',
    notFound: (id) => `No order ${id}.`,
    shape: orderPageOf,
    partOf: (path) => {
      if (path.includes('activities')) return 'activities';
      if (path.includes('account')) return 'account';
      if (path.includes('customer')) return 'customer';
      if (path.includes('stock') || path.includes('stockByWarehouse') || path.includes('inStock'))
        return 'stock';
      if (path.includes('shipments')) return 'shipments';
      if (path.includes('fulfilmentStatus')) return 'fulfilment';
      if (path.includes('invoice')) return 'invoice';
      if (path.includes('product')) return 'products';
      return 'order';
    },
  });
}

export function orderPageOf(order: OrderPageData): OrderPage {
  return withoutNulls({
    order: {
      id: order.id,
      number: order.number,
      status: order.status,
      placedOn: order.orderDate,
      createdAt: order.createdAt,
      currency: order.currency,
      fulfilment: order.fulfilmentStatus,
      subtotal: moneyOf(order.subtotal),
      tax: moneyOf(order.tax),
      total: moneyOf(order.total),
    },
    customer: {
      id: order.customer.id,
      name: order.customer.name,
      company: order.customer.company,
      segment: order.customer.segment,
      email: order.customer.email,
      phone: order.customer.phone,
      accountManager: order.customer.accountManager,
      account: order.customer.account
        ? {
            creditLimit: moneyOf(order.customer.account.creditLimit),
            balance: moneyOf(order.customer.account.balance),
            availableCredit: moneyOf(order.customer.account.availableCredit),
            paymentTerms: order.customer.account.paymentTerms,
            blocked: order.customer.account.blocked,
          }
        : null,
      recentActivities: order.customer.activities?.nodes ?? [],
    },
    lines: order.lines.map((line) => ({
      lineNumber: line.lineNumber,
      sku: line.product.sku,
      description: line.description,
      quantity: line.quantity,
      unitPrice: moneyOf(line.unitPrice),
      total: moneyOf(line.lineTotal),
      product: {
        name: line.product.name,
        description: line.product.description,
        category: line.product.category,
        unit: line.product.unit,
        listPrice: line.product.price ? moneyOf(line.product.price) : null,
        inStock: line.product.inStock,
        stock: line.product.stock,
        warehouses: line.product.stockByWarehouse?.map(({ warehouse, ...stock }) => ({
          ...warehouse,
          ...stock,
        })),
      },
    })),
    invoice: order.invoice
      ? { ...order.invoice, amountDue: moneyOf(order.invoice.amountDue) }
      : null,
    shipments: (order.shipments ?? []).map((shipment) => ({
      ...shipment,
      lines: shipment.lines.map((line) => ({ sku: line.product.sku, quantity: line.quantity })),
    })),
  }) as OrderPage;
}
