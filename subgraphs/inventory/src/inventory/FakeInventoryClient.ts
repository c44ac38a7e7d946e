import { upstreamErrorFromStatus } from '@bff/core';

import type { InventoryClient } from './InventoryClient.js';
import type { WmsItemStock, WmsShipment, WmsSite } from './types.js';

// Internal: an in-memory WMS for unit tests (STYLE §2: one real and one fake
// implementation behind each upstream interface). It keeps the real API's
// semantics that resolvers and loaders rely on, and rejects what the real API
// rejects, with the same error the HTTP client would raise.

/** What the fake WMS holds: records in the WMS's own shape. */
export interface FakeInventoryData {
  sites?: WmsSite[];
  stock?: WmsItemStock[];
  shipments?: WmsShipment[];
}

/** One call the fake received, with copies of its arguments. */
export interface FakeCall {
  method: keyof InventoryClient;
  args: unknown[];
}

/** The WMS API's published limits (sandbox/inventory limits.ts). */
const limits = { itemsPerBatch: 1_000 };

export class FakeInventoryClient implements InventoryClient {
  /** Every call, in order, so tests can assert how many upstream round trips a query cost. */
  readonly calls: FakeCall[] = [];

  private readonly siteList: WmsSite[];
  private readonly stock: Map<string, WmsItemStock>;
  private readonly shipments: WmsShipment[];

  constructor(data: FakeInventoryData = {}) {
    this.siteList = data.sites ?? [];
    this.stock = new Map((data.stock ?? []).map((s) => [s.item_code, s]));
    this.shipments = data.shipments ?? [];
  }

  /** The arguments of every call to one method, oldest first. */
  callsTo(method: keyof InventoryClient): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async sites() {
    this.record('sites');
    return [...this.siteList];
  }

  /** Unlike the ERP and CRM, the WMS answers every item: one it never stocked has no levels. */
  async stockOfItems(itemCodes: readonly string[]) {
    this.record('stockOfItems', [...itemCodes]);
    checkBatch(itemCodes, 'POST /stock/batch-get');
    return itemCodes.map((code) => this.stock.get(code) ?? { item_code: code, levels: [] });
  }

  /** Every shipment of the requested orders, grouped by order in request order. */
  async shipmentsOfOrders(orderRefs: readonly string[]) {
    this.record('shipmentsOfOrders', [...orderRefs]);
    checkBatch(orderRefs, 'POST /shipments/batch-get');
    return orderRefs.flatMap((ref) => this.shipments.filter((s) => s.order_ref === ref));
  }

  private record(method: keyof InventoryClient, ...args: unknown[]) {
    this.calls.push({ method, args });
  }
}

/** The WMS wants 1 to 1,000 ids per batch. */
function checkBatch(ids: readonly string[], route: string) {
  const count = new Set(ids).size;
  if (count === 0 || count > limits.itemsPerBatch) {
    throw upstreamErrorFromStatus('inventory', 400, { route });
  }
}
