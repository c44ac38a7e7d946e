import type { FulfilmentStatus, ProductStock, Shipment, StockLevel, Warehouse } from '../model.js';
import type { WmsItemStock, WmsShipment, WmsSite, WmsStockLevel } from './types.js';

// The one place the WMS's vocabulary becomes the canonical model.

export function toWarehouse(s: WmsSite): Warehouse {
  return { id: s.site_id, name: s.site_name, city: s.city, country: s.country_code };
}

function toLevel(l: WmsStockLevel): StockLevel {
  return {
    onHand: l.qty_on_hand,
    reserved: l.qty_allocated,
    // Over-allocation happens in real warehouses; nothing is sold below zero.
    available: Math.max(0, l.qty_on_hand - l.qty_allocated),
  };
}

export function toProductStock(item: WmsItemStock): ProductStock {
  const stockByWarehouse = item.levels.map((l) => ({
    warehouse: { id: l.site_id },
    ...toLevel(l),
  }));
  const stock = stockByWarehouse.reduce(
    (sum, l) => ({
      onHand: sum.onHand + l.onHand,
      reserved: sum.reserved + l.reserved,
      available: sum.available + l.available,
    }),
    { onHand: 0, reserved: 0, available: 0 },
  );
  return { sku: item.item_code, stock, stockByWarehouse };
}

export function toShipment(s: WmsShipment): Shipment {
  return {
    id: s.shipment_id,
    orderId: s.order_ref,
    warehouse: { id: s.site_id },
    carrier: s.carrier,
    trackingNumber: s.tracking_no,
    status: s.status,
    shippedAt: s.shipped_at,
    deliveredAt: s.delivered_at,
    lines: s.lines.map((l) => ({ product: { sku: l.item_code }, quantity: l.qty })),
  };
}

/** An order's fulfilment as its shipments tell it. */
export function fulfilmentOf(shipments: readonly Shipment[]): FulfilmentStatus {
  if (shipments.length === 0) return 'UNFULFILLED';
  if (shipments.every((s) => s.status === 'DELIVERED')) return 'DELIVERED';
  if (shipments.some((s) => s.status !== 'PICKING')) return 'SHIPPED';
  return 'PROCESSING';
}
