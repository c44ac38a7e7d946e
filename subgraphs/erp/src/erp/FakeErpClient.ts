import { upstreamErrorFromStatus } from '@bff/core';
import type { ChildPage } from '@bff/core';

import type { ErpClient, ListRequest, ProductFilter } from './ErpClient.js';
import type {
  ErpClientAccount,
  ErpInvoice,
  ErpInvoiceStatus,
  ErpOrder,
  ErpOrderStatus,
  ErpProduct,
} from './types.js';

// Internal: an in-memory ERP for unit tests (STYLE §2: one real and one fake
// implementation behind each upstream interface). It keeps the real API's
// semantics that resolvers and loaders rely on, and rejects what the real API
// rejects, with the same error the HTTP client would raise.

/** What the fake ERP holds: records in the ERP's own shape. */
export interface FakeErpData {
  clients?: ErpClientAccount[];
  products?: ErpProduct[];
  orders?: ErpOrder[];
  invoices?: ErpInvoice[];
}

/** One call the fake received, with copies of its arguments. */
export interface FakeCall {
  method: keyof ErpClient;
  args: unknown[];
}

/** The ERP API's published limits (sandbox/erp limits.ts). */
const limits = { idsPerBatch: 1_000, pageMax: 100, clientsPerCall: 100, searchMax: 100 };

export class FakeErpClient implements ErpClient {
  /** Every call, in order, so tests can assert how many upstream round trips a query cost. */
  readonly calls: FakeCall[] = [];

  private readonly clients: ErpClientAccount[];
  private readonly products: ErpProduct[];
  /** Newest first, as the ERP lists them: document ids rise over time. */
  private readonly orders: ErpOrder[];
  private readonly invoices: ErpInvoice[];

  constructor(data: FakeErpData = {}) {
    this.clients = data.clients ?? [];
    // The ERP pages its catalogue by SKU.
    this.products = [...(data.products ?? [])].sort((a, b) => compare(a.sku, b.sku));
    this.orders = [...(data.orders ?? [])].sort((a, b) => b.doc_id - a.doc_id);
    this.invoices = [...(data.invoices ?? [])].sort((a, b) => b.invoice_id - a.invoice_id);
  }

  /** The arguments of every call to one method, oldest first. */
  callsTo(method: keyof ErpClient): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async clientsByNumber(numbers: readonly string[]) {
    this.record('clientsByNumber', [...numbers]);
    return batchGet(numbers, this.clients, (c) => c.client_number);
  }

  async clientsByCrmId(crmIds: readonly string[]) {
    this.record('clientsByCrmId', [...crmIds]);
    return batchGet(crmIds, this.clients, (c) => c.crm_contact_id);
  }

  async productsBySku(skus: readonly string[]) {
    this.record('productsBySku', [...skus]);
    return batchGet(skus, this.products, (p) => p.sku);
  }

  async listProducts(request: ListRequest<ProductFilter>) {
    this.record('listProducts', { ...request });
    const { category, search } = request.filter ?? {};
    if (search !== undefined) {
      const length = [...search].length;
      if (length < 1 || length > limits.searchMax) throw badRequest('GET /products');
    }
    const needle = search?.toLowerCase();
    const source =
      category === undefined && needle === undefined
        ? this.products
        : this.products.filter(
            (p) =>
              (category === undefined || p.product_group === category) &&
              (needle === undefined ||
                p.title.toLowerCase().includes(needle) ||
                p.sku.toLowerCase().includes(needle)),
          );
    return keysetPage(source, (p) => p.sku, request, 'GET /products');
  }

  async ordersById(ids: readonly string[]) {
    this.record('ordersById', [...ids]);
    return batchGet(ids, this.orders, (o) => String(o.doc_id));
  }

  async listOrders(request: ListRequest<{ status?: ErpOrderStatus | undefined }>) {
    this.record('listOrders', { ...request });
    const status = request.filter?.status;
    const source =
      status === undefined ? this.orders : this.orders.filter((o) => o.status === status);
    return keysetPage(source, (o) => String(o.doc_id), request, 'GET /orders');
  }

  async ordersOfClients(
    clientNumbers: readonly string[],
    request: ListRequest<{ status?: ErpOrderStatus | undefined }>,
  ) {
    this.record('ordersOfClients', [...clientNumbers], { ...request });
    const status = request.filter?.status;
    return byClient(
      clientNumbers,
      request,
      'GET /orders/by-client',
      (client) =>
        this.orders.filter(
          (o) => o.client_number === client && (status === undefined || o.status === status),
        ),
      (o) => String(o.doc_id),
    );
  }

  async invoicesById(ids: readonly string[]) {
    this.record('invoicesById', [...ids]);
    return batchGet(ids, this.invoices, (i) => String(i.invoice_id));
  }

  async invoicesOfOrders(orderIds: readonly string[]) {
    this.record('invoicesOfOrders', [...orderIds]);
    return batchGet(orderIds, this.invoices, (i) => String(i.doc_id));
  }

  async invoicesOfClients(
    clientNumbers: readonly string[],
    request: ListRequest<{ status?: ErpInvoiceStatus | undefined }>,
  ) {
    this.record('invoicesOfClients', [...clientNumbers], { ...request });
    const status = request.filter?.status;
    return byClient(
      clientNumbers,
      request,
      'GET /invoices/by-client',
      (client) =>
        this.invoices.filter(
          (i) => i.client_number === client && (status === undefined || i.status === status),
        ),
      (i) => String(i.invoice_id),
    );
  }

  private record(method: keyof ErpClient, ...args: unknown[]) {
    this.calls.push({ method, args });
  }
}

function compare(a: string, b: string) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function badRequest(route: string) {
  return upstreamErrorFromStatus('erp', 400, { route });
}

/** `batch-get`: the records found, in request order; unknown ids are left out. */
function batchGet<T>(ids: readonly string[], records: readonly T[], keyOf: (r: T) => string): T[] {
  const count = new Set(ids).size;
  if (count === 0 || count > limits.idsPerBatch) throw badRequest('POST batch-get');
  const byKey = new Map(records.map((r) => [keyOf(r), r]));
  return ids.flatMap((id) => byKey.get(id) ?? []);
}

/** Stripe-style keyset paging: `starting_after` must name an item of the list. */
function keysetPage<T>(
  sorted: readonly T[],
  keyOf: (item: T) => string,
  { limit, afterKey }: ListRequest<unknown>,
  route: string,
): ChildPage<T> {
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.pageMax) throw badRequest(route);
  let start = 0;
  if (afterKey !== undefined) {
    const index = sorted.findIndex((item) => keyOf(item) === afterKey);
    if (index < 0) throw badRequest(route);
    start = index + 1;
  }
  return { items: sorted.slice(start, start + limit), hasMore: start + limit < sorted.length };
}

/** `/by-client`: one page per requested client (empty for unknown ones). */
function byClient<T>(
  clientNumbers: readonly string[],
  request: ListRequest<unknown>,
  route: string,
  listOf: (client: string) => T[],
  keyOf: (item: T) => string,
): Map<string, ChildPage<T>> {
  const count = new Set(clientNumbers).size;
  if (count === 0 || count > limits.clientsPerCall) throw badRequest(route);
  // A cursor belongs to one client's list, so the ERP refuses it for several.
  if (request.afterKey !== undefined && clientNumbers.length > 1) throw badRequest(route);
  return new Map(
    clientNumbers.map((client) => [client, keysetPage(listOf(client), keyOf, request, route)]),
  );
}
