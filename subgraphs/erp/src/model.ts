import type { Money } from '@bff/core';

// The canonical model as this subgraph's resolvers hand it to GraphQL. Fields
// the schema does not declare (clientNumber) are internal links between
// records and never reach a client.

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'INVOICED' | 'CANCELLED';
export type InvoiceStatus = 'OPEN' | 'PAID' | 'OVERDUE';
export type PaymentTerms = 'PREPAID' | 'NET_15' | 'NET_30' | 'NET_60';

export interface CustomerRef {
  id: string;
}

export interface CustomerAccount {
  accountNumber: string;
  currency: string;
  creditLimit: Money;
  balance: Money;
  availableCredit: Money;
  paymentTerms: PaymentTerms;
  blocked: boolean;
}

export interface Product {
  sku: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  unitCost: Money;
  unit: string;
  active: boolean;
}

/** An order line points at its product by SKU; the product loads only if asked for. */
export interface ProductRef {
  sku: string;
}

export interface OrderLine {
  lineNumber: number;
  product: ProductRef;
  description: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

export interface Order {
  id: string;
  number: string;
  clientNumber: string;
  status: OrderStatus;
  orderDate: string;
  createdAt: string;
  currency: string;
  lines: OrderLine[];
  subtotal: Money;
  tax: Money;
  total: Money;
}

export interface Invoice {
  id: string;
  number: string;
  orderId: string;
  clientNumber: string;
  issuedOn: string;
  dueOn: string;
  total: Money;
  amountDue: Money;
  status: InvoiceStatus;
}
