import type { CallContext, ChildPage, RestClient } from '@bff/core';

import type {
  ErpBatch,
  ErpClientAccount,
  ErpClientPage,
  ErpInvoice,
  ErpInvoiceStatus,
  ErpList,
  ErpOrder,
  ErpOrderStatus,
  ErpProduct,
} from './types.js';

export interface ListRequest<F> {
  limit: number;
  afterKey?: string | undefined;
  filter?: F | undefined;
}

export interface ProductFilter {
  /** The ERP's `product_group`. */
  category?: string | undefined;
  /** Case-insensitive substring of the name (`title`) or the SKU, 1 to 100 characters. */
  search?: string | undefined;
}

/** The ERP as the subgraph uses it. One implementation over HTTP, one fake for unit tests. */
export interface ErpClient {
  clientsByNumber(numbers: readonly string[]): Promise<ErpClientAccount[]>;
  clientsByCrmId(crmIds: readonly string[]): Promise<ErpClientAccount[]>;
  productsBySku(skus: readonly string[]): Promise<ErpProduct[]>;
  listProducts(request: ListRequest<ProductFilter>): Promise<ChildPage<ErpProduct>>;
  ordersById(ids: readonly string[]): Promise<ErpOrder[]>;
  listOrders(
    request: ListRequest<{ status?: ErpOrderStatus | undefined }>,
  ): Promise<ChildPage<ErpOrder>>;
  ordersOfClients(
    clientNumbers: readonly string[],
    request: ListRequest<{ status?: ErpOrderStatus | undefined }>,
  ): Promise<Map<string, ChildPage<ErpOrder>>>;
  invoicesById(ids: readonly string[]): Promise<ErpInvoice[]>;
  invoicesOfOrders(orderIds: readonly string[]): Promise<ErpInvoice[]>;
  invoicesOfClients(
    clientNumbers: readonly string[],
    request: ListRequest<{ status?: ErpInvoiceStatus | undefined }>,
  ): Promise<Map<string, ChildPage<ErpInvoice>>>;
}

/** The ERP over HTTP, bound to one GraphQL request (request id, logger, cancellation). */
export class HttpErpClient implements ErpClient {
  constructor(
    private readonly rest: RestClient,
    private readonly call: CallContext,
  ) {}

  async clientsByNumber(numbers: readonly string[]) {
    return this.batchGet<ErpClientAccount>('/clients/batch-get', { ids: numbers });
  }

  async clientsByCrmId(crmIds: readonly string[]) {
    return this.batchGet<ErpClientAccount>('/clients/batch-get', { crm_ids: crmIds });
  }

  async productsBySku(skus: readonly string[]) {
    return this.batchGet<ErpProduct>('/products/batch-get', { ids: skus });
  }

  async listProducts({ limit, afterKey, filter }: ListRequest<ProductFilter>) {
    const list = await this.rest.request<ErpList<ErpProduct>>(
      {
        path: '/products',
        query: {
          limit,
          starting_after: afterKey,
          product_group: filter?.category,
          search: filter?.search,
        },
        route: 'GET /products',
      },
      this.call,
    );
    return { items: list.data, hasMore: list.has_more };
  }

  async ordersById(ids: readonly string[]) {
    return this.batchGet<ErpOrder>('/orders/batch-get', { ids });
  }

  async listOrders({
    limit,
    afterKey,
    filter,
  }: ListRequest<{ status?: ErpOrderStatus | undefined }>) {
    const list = await this.rest.request<ErpList<ErpOrder>>(
      {
        path: '/orders',
        query: { limit, starting_after: afterKey, status: filter?.status },
        route: 'GET /orders',
      },
      this.call,
    );
    return { items: list.data, hasMore: list.has_more };
  }

  async ordersOfClients(
    clientNumbers: readonly string[],
    request: ListRequest<{ status?: ErpOrderStatus | undefined }>,
  ) {
    return this.byClient<ErpOrder>('/orders/by-client', clientNumbers, request);
  }

  async invoicesById(ids: readonly string[]) {
    return this.batchGet<ErpInvoice>('/invoices/batch-get', { ids });
  }

  async invoicesOfOrders(orderIds: readonly string[]) {
    return this.batchGet<ErpInvoice>('/invoices/batch-get', { doc_ids: orderIds });
  }

  async invoicesOfClients(
    clientNumbers: readonly string[],
    request: ListRequest<{ status?: ErpInvoiceStatus | undefined }>,
  ) {
    return this.byClient<ErpInvoice>('/invoices/by-client', clientNumbers, request);
  }

  private async batchGet<T>(path: string, body: Record<string, readonly string[]>): Promise<T[]> {
    const batch = await this.rest.request<ErpBatch<T>>(
      // A batch read changes nothing: safe to retry although it is a POST.
      { method: 'POST', path, body, route: `POST ${path}`, idempotent: true },
      this.call,
    );
    return batch.data;
  }

  private async byClient<T>(
    path: string,
    clientNumbers: readonly string[],
    { limit, afterKey, filter }: ListRequest<{ status?: string | undefined }>,
  ): Promise<Map<string, ChildPage<T>>> {
    const list = await this.rest.request<{ data: ErpClientPage<T>[] }>(
      {
        path,
        query: {
          client_numbers: clientNumbers,
          limit,
          starting_after: afterKey,
          status: filter?.status,
        },
        route: `GET ${path}`,
      },
      this.call,
    );
    return new Map(
      list.data.map((page) => [page.client_number, { items: page.data, hasMore: page.has_more }]),
    );
  }
}
