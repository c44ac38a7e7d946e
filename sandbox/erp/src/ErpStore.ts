import {
  SandboxHttpError,
  centsToDecimal,
  decimalToCents,
  keysetPage,
  percentOf,
} from '@bff/sandbox-kit';
import type {
  ErpClientRecord,
  ErpInvoiceRecord,
  ErpOrderLineRecord,
  ErpOrderRecord,
  ErpOrderStatus,
  ErpProductRecord,
  World,
} from '@bff/sandbox-kit';

/** An order's life, in order. */
export const orderStatuses: readonly ErpOrderStatus[] = [
  'OPEN',
  'RELEASED',
  'SHIPPED',
  'INVOICED',
  'CANCELLED',
];

const taxBpByCurrency: Record<string, number> = { EUR: 1_900, USD: 0, GBP: 2_000 };
const fxBpFromEur: Record<string, number> = { EUR: 10_000, USD: 10_850, GBP: 8_550 };

export interface NewOrder {
  client_number: string;
  lines: { sku: string; qty: number }[];
  /** The inventory reservation backing the order, kept as a reference. */
  reservation_ref?: string;
}

/** An order priced but not created (`POST /orders/quote`). */
export type OrderQuote = Pick<
  ErpOrderRecord,
  'client_number' | 'currency' | 'lines' | 'net_amount' | 'tax_amount' | 'gross_amount'
>;

/** What an `order.status_changed` event says (the ERP's subscribers compensate a cancel). */
export interface OrderStatusChange {
  doc_id: number;
  order_number: string;
  status: ErpOrderStatus;
  previous_status: ErpOrderStatus;
  /** The inventory reservation the order was created with, or null. */
  reservation_ref: string | null;
}

/** What a `product.changed` event says: which product, and which of its fields changed. */
export interface ProductChange {
  sku: string;
  changed: string[];
}

/**
 * The ERP's data, in memory: seeded from the world, indexed for the reads the
 * API offers, and changed by the writes it accepts.
 */
export class ErpStore {
  readonly clients: ErpClientRecord[];
  readonly products: ErpProductRecord[];
  /** Newest first, as the ERP lists them. */
  readonly orders: ErpOrderRecord[];
  readonly invoices: ErpInvoiceRecord[];

  private readonly clientByNumber: Map<string, ErpClientRecord>;
  private readonly clientByCrmId: Map<string, ErpClientRecord>;
  private readonly productBySku: Map<string, ErpProductRecord>;
  private readonly orderById = new Map<string, ErpOrderRecord>();
  private readonly orderIndex = new Map<string, number>();
  private readonly ordersByClient = new Map<string, ErpOrderRecord[]>();
  private readonly invoiceById = new Map<string, ErpInvoiceRecord>();
  private readonly invoiceByOrderId = new Map<string, ErpInvoiceRecord>();
  private readonly invoicesByClient = new Map<string, ErpInvoiceRecord[]>();
  private nextDocId: number;
  /** The reservation each new order names, so that cancelling can say which to release. */
  private readonly reservationByOrder = new Map<string, string>();

  /** Told of every order whose status changed, after the change (the webhook sender listens). */
  onOrderStatusChanged: (change: OrderStatusChange) => void = () => undefined;
  /** Told of every product whose record changed, after the change. */
  onProductChanged: (change: ProductChange) => void = () => undefined;

  constructor(world: World['erp']) {
    this.clients = world.clients.map((c) => ({ ...c }));
    this.products = world.products.map((p) => ({ ...p }));
    this.orders = world.orders
      .map((o) => ({ ...o, lines: o.lines.map((l) => ({ ...l })) }))
      .reverse();
    this.invoices = world.invoices.map((i) => ({ ...i })).reverse();
    this.clientByNumber = new Map(this.clients.map((c) => [c.client_number, c]));
    this.clientByCrmId = new Map(this.clients.map((c) => [c.crm_contact_id, c]));
    this.productBySku = new Map(this.products.map((p) => [p.sku, p]));
    this.orders.forEach((o, i) => {
      this.orderById.set(String(o.doc_id), o);
      this.orderIndex.set(String(o.doc_id), i);
      push(this.ordersByClient, o.client_number, o);
    });
    for (const invoice of this.invoices) {
      this.invoiceById.set(String(invoice.invoice_id), invoice);
      this.invoiceByOrderId.set(String(invoice.doc_id), invoice);
      push(this.invoicesByClient, invoice.client_number, invoice);
    }
    this.nextDocId = (this.orders[0]?.doc_id ?? 4_500_000_000) + 1;
  }

  client(number: string) {
    return this.clientByNumber.get(number);
  }
  clientOfCrmContact(crmId: string) {
    return this.clientByCrmId.get(crmId);
  }
  product(sku: string) {
    return this.productBySku.get(sku);
  }
  order(docId: string) {
    return this.orderById.get(docId);
  }
  invoice(invoiceId: string) {
    return this.invoiceById.get(invoiceId);
  }
  invoiceOfOrder(docId: string) {
    return this.invoiceByOrderId.get(docId);
  }

  listOrders(
    filter: { client_number?: string; status?: ErpOrderStatus },
    after: string | undefined,
    limit: number,
  ) {
    if (filter.client_number === undefined && filter.status === undefined) {
      return keysetPage(this.orders, orderKey, after, limit, (k) => this.orderIndex.get(k));
    }
    let source =
      filter.client_number !== undefined
        ? (this.ordersByClient.get(filter.client_number) ?? [])
        : this.orders;
    if (filter.status !== undefined) source = source.filter((o) => o.status === filter.status);
    return keysetPage(source, orderKey, after, limit);
  }

  clientOrders(
    clientNumber: string,
    status: ErpOrderStatus | undefined,
    after: string | undefined,
    limit: number,
  ) {
    return this.listOrders(
      { client_number: clientNumber, ...(status ? { status } : {}) },
      after,
      limit,
    );
  }

  clientInvoices(
    clientNumber: string,
    status: ErpInvoiceRecord['status'] | undefined,
    after: string | undefined,
    limit: number,
  ) {
    let source = this.invoicesByClient.get(clientNumber) ?? [];
    if (status !== undefined) source = source.filter((i) => i.status === status);
    return keysetPage(source, invoiceKey, after, limit);
  }

  /**
   * Prices an order as `createOrder` would, without creating it: the lines at
   * list price in the client's currency, tax, totals. What a caller checks
   * against the client's credit limit before committing.
   */
  quoteOrder(input: NewOrder): OrderQuote {
    // The body is the caller's JSON: it may be missing altogether.
    if (typeof input?.client_number !== 'string')
      throw new SandboxHttpError(400, 'parameter_missing', 'client_number is required');
    const client = this.clientByNumber.get(input.client_number);
    if (!client)
      throw new SandboxHttpError(404, 'resource_missing', `no client ${input.client_number}`);
    if (client.blocked)
      throw new SandboxHttpError(
        409,
        'client_blocked',
        `client ${client.client_number} is blocked`,
      );
    if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > 50) {
      throw new SandboxHttpError(400, 'invalid_lines', 'an order needs 1 to 50 lines');
    }
    const lines: ErpOrderLineRecord[] = input.lines.map((line, i) => {
      const product = typeof line?.sku === 'string' ? this.productBySku.get(line.sku) : undefined;
      if (!product)
        throw new SandboxHttpError(
          400,
          'unknown_sku',
          `line ${i + 1}: unknown sku ${String(line?.sku)}`,
        );
      if (!Number.isInteger(line.qty) || line.qty < 1 || line.qty > 10_000) {
        throw new SandboxHttpError(400, 'invalid_qty', `line ${i + 1}: qty must be 1 to 10000`);
      }
      const unitCents = percentOf(
        decimalToCents(product.list_price),
        fxBpFromEur[client.currency] ?? 10_000,
      );
      return {
        line_no: (i + 1) * 10,
        sku: product.sku,
        description: product.title,
        qty: line.qty,
        unit_price: centsToDecimal(unitCents),
        line_amount: centsToDecimal(unitCents * line.qty),
      };
    });
    const netCents = lines.reduce((sum, l) => sum + decimalToCents(l.line_amount), 0);
    const taxCents = percentOf(netCents, taxBpByCurrency[client.currency] ?? 0);
    return {
      client_number: client.client_number,
      currency: client.currency,
      lines,
      net_amount: centsToDecimal(netCents),
      tax_amount: centsToDecimal(taxCents),
      gross_amount: centsToDecimal(netCents + taxCents),
    };
  }

  /**
   * Creates an order priced from the list price in the client's currency
   * (`quoteOrder`), checking the client and every SKU first, so nothing is
   * half-written.
   */
  createOrder(input: NewOrder, now: Date = new Date()): ErpOrderRecord {
    const quote = this.quoteOrder(input);
    const docId = this.nextDocId++;
    const { client_number: clientNumber, ...priced } = quote;
    const order: ErpOrderRecord = {
      doc_id: docId,
      order_number: `SO-${now.getUTCFullYear()}-${String(docId - 4_500_000_000).padStart(6, '0')}`,
      client_number: clientNumber,
      status: 'OPEN',
      order_date: now.toISOString().slice(0, 10),
      created_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...priced,
    };
    this.orders.unshift(order);
    this.orderById.set(String(docId), order);
    // Indexes shift by one for every order already listed.
    for (const [key, index] of this.orderIndex) this.orderIndex.set(key, index + 1);
    this.orderIndex.set(String(docId), 0);
    const clientOrders = this.ordersByClient.get(clientNumber) ?? [];
    clientOrders.unshift(order);
    this.ordersByClient.set(clientNumber, clientOrders);
    if (typeof input.reservation_ref === 'string') {
      this.reservationByOrder.set(String(docId), input.reservation_ref);
    }
    return order;
  }

  /** The inventory reservation an order was created with, if it named one. */
  reservationOf(docId: string): string | undefined {
    return this.reservationByOrder.get(docId);
  }

  /**
   * Cancels an order not yet shipped; cancelling a cancelled order changes
   * nothing, so a retried cancel is harmless.
   */
  cancelOrder(docId: string): ErpOrderRecord {
    const order = this.orderById.get(docId);
    if (!order) throw new SandboxHttpError(404, 'resource_missing', `no order ${docId}`);
    if (order.status === 'SHIPPED' || order.status === 'INVOICED') {
      throw new SandboxHttpError(
        409,
        'order_not_cancellable',
        `order ${docId} is ${order.status.toLowerCase()}`,
      );
    }
    this.setStatus(order, 'CANCELLED');
    return order;
  }

  /**
   * Moves an order along its life as the ERP's own users do (release,
   * ship, invoice, cancel): the admin API's way to change orders in tests.
   * Cancelling follows `cancelOrder`'s rule.
   */
  changeOrderStatus(docId: string, status: ErpOrderStatus): ErpOrderRecord {
    if (status === 'CANCELLED') return this.cancelOrder(docId);
    const order = this.orderById.get(docId);
    if (!order) throw new SandboxHttpError(404, 'resource_missing', `no order ${docId}`);
    if (order.status === 'CANCELLED') {
      throw new SandboxHttpError(409, 'order_cancelled', `order ${docId} is cancelled`);
    }
    this.setStatus(order, status);
    return order;
  }

  /**
   * Changes a product's list price or title (a price list update, a
   * rename), as the ERP's users do: the admin API's way to change products
   * in tests. Sends one event naming the fields that really changed.
   */
  updateProduct(sku: string, update: { list_price?: unknown; title?: unknown }): ErpProductRecord {
    const product = this.productBySku.get(sku);
    if (!product) throw new SandboxHttpError(404, 'resource_missing', `no product ${sku}`);
    const next = { ...product };
    if (update.list_price !== undefined) {
      if (
        typeof update.list_price !== 'string' ||
        !/^\d{1,9}(\.\d{1,2})?$/.test(update.list_price)
      ) {
        throw new SandboxHttpError(
          400,
          'invalid_parameter',
          'list_price must be a decimal string such as "19.99"',
        );
      }
      next.list_price = centsToDecimal(decimalToCents(update.list_price));
    }
    if (update.title !== undefined) {
      if (
        typeof update.title !== 'string' ||
        update.title.trim().length === 0 ||
        update.title.length > 200
      ) {
        throw new SandboxHttpError(400, 'invalid_parameter', 'title must be 1 to 200 characters');
      }
      next.title = update.title;
    }
    const changed = (['list_price', 'title'] as const).filter((f) => next[f] !== product[f]);
    Object.assign(product, next);
    if (changed.length > 0) this.onProductChanged({ sku, changed: [...changed] });
    return product;
  }

  /** A status change and its event; setting the status an order has changes nothing. */
  private setStatus(order: ErpOrderRecord, status: ErpOrderStatus): void {
    const previous = order.status;
    if (previous === status) return;
    order.status = status;
    this.onOrderStatusChanged({
      doc_id: order.doc_id,
      order_number: order.order_number,
      status,
      previous_status: previous,
      reservation_ref: this.reservationByOrder.get(String(order.doc_id)) ?? null,
    });
  }
}

export const orderKey = (o: ErpOrderRecord) => String(o.doc_id);
export const invoiceKey = (i: ErpInvoiceRecord) => String(i.invoice_id);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
