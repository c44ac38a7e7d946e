import type { CallContext, RestClient } from '@bff/core';

import type { WmsItemStock, WmsShipment, WmsSite } from './types.js';

/** The inventory system as the subgraph uses it. One implementation over HTTP, one fake for unit tests. */
export interface InventoryClient {
  sites(): Promise<WmsSite[]>;
  stockOfItems(itemCodes: readonly string[]): Promise<WmsItemStock[]>;
  shipmentsOfOrders(orderRefs: readonly string[]): Promise<WmsShipment[]>;
}

/** The WMS over HTTP, bound to one GraphQL request. */
export class HttpInventoryClient implements InventoryClient {
  constructor(
    private readonly rest: RestClient,
    private readonly call: CallContext,
  ) {}

  async sites() {
    const answer = await this.rest.request<{ results: WmsSite[] }>(
      { path: '/sites', route: 'GET /sites' },
      this.call,
    );
    return answer.results;
  }

  async stockOfItems(itemCodes: readonly string[]) {
    const answer = await this.rest.request<{ results: WmsItemStock[] }>(
      {
        method: 'POST',
        path: '/stock/batch-get',
        body: { item_codes: itemCodes },
        route: 'POST /stock/batch-get',
        // A batch read changes nothing: safe to retry although it is a POST.
        idempotent: true,
      },
      this.call,
    );
    return answer.results;
  }

  async shipmentsOfOrders(orderRefs: readonly string[]) {
    const answer = await this.rest.request<{ results: WmsShipment[] }>(
      {
        method: 'POST',
        path: '/shipments/batch-get',
        body: { order_refs: orderRefs },
        route: 'POST /shipments/batch-get',
        // A batch read changes nothing: safe to retry although it is a POST.
        idempotent: true,
      },
      this.call,
    );
    return answer.results;
  }
}
