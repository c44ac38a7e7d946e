import { money, subtractMoney, UnreachableCaseError } from '@bff/core';

import type {
  CustomerAccount,
  Invoice,
  InvoiceStatus,
  Order,
  OrderStatus,
  PaymentTerms,
  Product,
} from '../model.js';
import type {
  ErpClientAccount,
  ErpInvoice,
  ErpInvoiceStatus,
  ErpOrder,
  ErpOrderStatus,
  ErpProduct,
} from './types.js';

// The one place the ERP's vocabulary becomes the canonical model.

export function toProduct(p: ErpProduct): Product {
  return {
    sku: p.sku,
    name: p.title,
    description: p.description,
    category: p.product_group,
    price: money(p.list_price, p.currency),
    unitCost: money(p.standard_cost, p.currency),
    unit: p.uom,
    active: p.status === 'active',
  };
}

export function toOrderStatus(status: ErpOrderStatus): OrderStatus {
  switch (status) {
    case 'OPEN':
      return 'PENDING';
    case 'RELEASED':
      return 'CONFIRMED';
    case 'SHIPPED':
      return 'SHIPPED';
    case 'INVOICED':
      return 'INVOICED';
    case 'CANCELLED':
      return 'CANCELLED';
    default:
      throw new UnreachableCaseError(status);
  }
}

const erpOrderStatusOf: Record<OrderStatus, ErpOrderStatus> = {
  PENDING: 'OPEN',
  CONFIRMED: 'RELEASED',
  SHIPPED: 'SHIPPED',
  INVOICED: 'INVOICED',
  CANCELLED: 'CANCELLED',
};

/** For filters: the ERP status a canonical status stands for. */
export function fromOrderStatus(status: OrderStatus): ErpOrderStatus {
  return erpOrderStatusOf[status];
}

export function toOrder(o: ErpOrder): Order {
  return {
    id: String(o.doc_id),
    number: o.order_number,
    clientNumber: o.client_number,
    status: toOrderStatus(o.status),
    orderDate: o.order_date,
    createdAt: o.created_at,
    currency: o.currency,
    lines: o.lines.map((l) => ({
      lineNumber: l.line_no,
      product: { sku: l.sku },
      description: l.description,
      quantity: l.qty,
      unitPrice: money(l.unit_price, o.currency),
      lineTotal: money(l.line_amount, o.currency),
    })),
    subtotal: money(o.net_amount, o.currency),
    tax: money(o.tax_amount, o.currency),
    total: money(o.gross_amount, o.currency),
  };
}

export function toInvoiceStatus(status: ErpInvoiceStatus): InvoiceStatus {
  return status;
}

export function toInvoice(i: ErpInvoice): Invoice {
  return {
    id: String(i.invoice_id),
    number: i.invoice_number,
    orderId: String(i.doc_id),
    clientNumber: i.client_number,
    issuedOn: i.issue_date,
    dueOn: i.due_date,
    total: money(i.gross_amount, i.currency),
    amountDue: money(i.open_amount, i.currency),
    status: toInvoiceStatus(i.status),
  };
}

const paymentTermsOf: Record<ErpClientAccount['payment_terms'], PaymentTerms> = {
  PREPAID: 'PREPAID',
  NET15: 'NET_15',
  NET30: 'NET_30',
  NET60: 'NET_60',
};

export function toAccount(c: ErpClientAccount): CustomerAccount {
  const creditLimit = money(c.credit_limit, c.currency);
  const balance = money(c.balance, c.currency);
  return {
    accountNumber: c.client_number,
    currency: c.currency,
    creditLimit,
    balance,
    availableCredit: subtractMoney(creditLimit, balance),
    paymentTerms: paymentTermsOf[c.payment_terms],
    blocked: c.blocked,
  };
}
