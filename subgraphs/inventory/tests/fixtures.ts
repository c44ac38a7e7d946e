import type { WmsItemStock, WmsShipment, WmsSite, WmsStockLevel } from '../src/inventory/types.js';

// Small builders of WMS-shaped records. Every record gets fresh keys (a
// per-run random tag plus a counter), so tests never depend on each other's
// data; overrides pin the fields a test asserts on.

const run = Math.random().toString(36).slice(2, 7);
let seq = 0;
const next = () => ++seq;

export function wmsSite(overrides: Partial<WmsSite> = {}): WmsSite {
  const n = next();
  return {
    site_id: `WH-${run}-${n}`,
    site_name: `Warehouse ${n}`,
    city: 'Rotterdam',
    country_code: 'NL',
    ...overrides,
  };
}

export function sku(): string {
  return `SKU-${run}-${next()}`;
}

/** One item's stock: `[site, on hand, allocated]` per site. */
export function wmsStock(
  itemCode: string,
  levels: readonly [WmsSite, number, number][],
): WmsItemStock {
  return {
    item_code: itemCode,
    levels: levels.map(([site, onHand, allocated]): WmsStockLevel => ({
      site_id: site.site_id,
      qty_on_hand: onHand,
      qty_allocated: allocated,
    })),
  };
}

export function wmsShipment(
  orderRef: string,
  site: WmsSite,
  overrides: Partial<WmsShipment> = {},
): WmsShipment {
  const n = next();
  return {
    shipment_id: `SH-${run}-${n}`,
    order_ref: orderRef,
    site_id: site.site_id,
    carrier: 'DHL',
    tracking_no: `JD0000${n}`,
    status: 'IN_TRANSIT',
    shipped_at: '2025-03-15T12:00:00Z',
    delivered_at: null,
    lines: [{ item_code: sku(), qty: 1 }],
    ...overrides,
  };
}

/** An ERP-style numeric order id. */
export function orderId(): string {
  return String(4_500_000_000 + next());
}
