import type { ErpClientAccount, ErpInvoice, ErpOrder, ErpProduct } from '../src/erp/types.js';

// Small builders of ERP-shaped records. Every record gets fresh keys (a
// per-run random tag plus a counter), so tests never depend on each other's
// data; overrides pin the fields a test asserts on.

const run = Math.random().toString(36).slice(2, 7).toUpperCase();
let seq = 0;
const next = () => ++seq;

/** Cents to the ERP's two-decimal string: 1999 → "19.99". */
export function decimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function erpClient(overrides: Partial<ErpClientAccount> = {}): ErpClientAccount {
  const n = next();
  return {
    client_number: `C${run}${n}`,
    crm_contact_id: `CT-${run}-${n}`,
    currency: 'EUR',
    credit_limit: '10000.00',
    balance: '2500.50',
    payment_terms: 'NET30',
    blocked: false,
    ...overrides,
  };
}

export function erpProduct(overrides: Partial<ErpProduct> = {}): ErpProduct {
  const n = next();
  return {
    sku: `SKU-${run}-${n}`,
    title: `Product ${n}`,
    description: `Description of product ${n}`,
    product_group: 'tools',
    list_price: '19.99',
    standard_cost: '7.25',
    currency: 'EUR',
    uom: 'EA',
    status: 'active',
    ...overrides,
  };
}

/** Document ids rise over time, so a later order has a larger doc_id (and is listed first). */
let docId = 4_500_000_000 + Math.floor(Math.random() * 1_000_000) * 1_000;

/** An order of `client` with one line per product (quantity = line index + 1). */
export function erpOrder(
  client: ErpClientAccount,
  products: readonly ErpProduct[],
  overrides: Partial<ErpOrder> = {},
): ErpOrder {
  const id = ++docId;
  const lines = products.map((p, i) => {
    const qty = i + 1;
    const unitCents = Math.round(Number(p.list_price) * 100);
    return {
      line_no: (i + 1) * 10,
      sku: p.sku,
      description: p.title,
      qty,
      unit_price: p.list_price,
      line_amount: decimal(unitCents * qty),
    };
  });
  const net = lines.reduce((sum, l) => sum + Math.round(Number(l.line_amount) * 100), 0);
  const tax = Math.round(net * 0.19);
  return {
    doc_id: id,
    order_number: `SO-2025-${String(id).slice(-6)}`,
    client_number: client.client_number,
    status: 'OPEN',
    order_date: '2025-03-14',
    created_at: '2025-03-14T09:26:53Z',
    currency: client.currency,
    lines,
    net_amount: decimal(net),
    tax_amount: decimal(tax),
    gross_amount: decimal(net + tax),
    ...overrides,
  };
}

let invoiceId = 9_000_000 + Math.floor(Math.random() * 1_000) * 1_000;

export function erpInvoice(order: ErpOrder, overrides: Partial<ErpInvoice> = {}): ErpInvoice {
  const id = ++invoiceId;
  return {
    invoice_id: id,
    invoice_number: `INV-${id}`,
    doc_id: order.doc_id,
    client_number: order.client_number,
    issue_date: '2025-03-15',
    due_date: '2025-04-14',
    currency: order.currency,
    gross_amount: order.gross_amount,
    open_amount: order.gross_amount,
    status: 'OPEN',
    ...overrides,
  };
}

/**
 * A small ERP: `clientCount` clients and `productCount` products, and
 * `orderCount` orders that cycle through both (two lines each), so any page
 * of orders repeats clients and products and batching must deduplicate them.
 */
export function erpWorld({ clientCount = 4, productCount = 5, orderCount = 60 } = {}) {
  const clients = Array.from({ length: clientCount }, () => erpClient());
  const products = Array.from({ length: productCount }, () => erpProduct());
  const orders = Array.from({ length: orderCount }, (_, i) =>
    erpOrder(clients[i % clientCount] as ErpClientAccount, [
      products[i % productCount] as ErpProduct,
      products[(i + 1) % productCount] as ErpProduct,
    ]),
  );
  return { clients, products, orders };
}
