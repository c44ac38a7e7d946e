// The ERP's REST API as this subgraph reads it (snake_case, Stripe-style
// lists). Only the fields the subgraph uses are declared.

export interface ErpList<T> {
  data: T[];
  has_more: boolean;
}

export interface ErpBatch<T> {
  data: T[];
  missing: string[];
}

export interface ErpClientAccount {
  client_number: string;
  crm_contact_id: string;
  currency: string;
  credit_limit: string;
  balance: string;
  payment_terms: 'PREPAID' | 'NET15' | 'NET30' | 'NET60';
  blocked: boolean;
}

export interface ErpProduct {
  sku: string;
  title: string;
  description: string;
  product_group: string;
  list_price: string;
  standard_cost: string;
  currency: string;
  uom: string;
  status: 'active' | 'discontinued';
}

export type ErpOrderStatus = 'OPEN' | 'RELEASED' | 'SHIPPED' | 'INVOICED' | 'CANCELLED';

export interface ErpOrder {
  doc_id: number;
  order_number: string;
  client_number: string;
  status: ErpOrderStatus;
  order_date: string;
  created_at: string;
  currency: string;
  lines: {
    line_no: number;
    sku: string;
    description: string;
    qty: number;
    unit_price: string;
    line_amount: string;
  }[];
  net_amount: string;
  tax_amount: string;
  gross_amount: string;
}

export type ErpInvoiceStatus = 'OPEN' | 'PAID' | 'OVERDUE';

export interface ErpInvoice {
  invoice_id: number;
  invoice_number: string;
  doc_id: number;
  client_number: string;
  issue_date: string;
  due_date: string;
  currency: string;
  gross_amount: string;
  open_amount: string;
  status: ErpInvoiceStatus;
}

/** One client's page from the `/by-client` endpoints. */
export interface ErpClientPage<T> {
  client_number: string;
  data: T[];
  has_more: boolean;
}
