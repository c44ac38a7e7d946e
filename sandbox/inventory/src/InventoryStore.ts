import { randomUUID } from 'node:crypto';

import { SandboxHttpError } from '@bff/sandbox-kit';
import type {
  InventoryShipmentRecord,
  InventorySiteRecord,
  InventoryStockRecord,
  World,
} from '@bff/sandbox-kit';

export interface StockLevel extends InventoryStockRecord {
  qty_available: number;
}

export interface ReservationRecord {
  reservation_id: string;
  reference: string;
  status: 'HELD' | 'RELEASED';
  created_at: string;
  released_at: string | null;
  lines: { item_code: string; site_id: string; qty: number }[];
}

export interface NewReservation {
  /** The caller's reference, such as an order id or an idempotency key. */
  reference: string;
  lines: { item_code: string; qty: number; site_id?: string }[];
}

/** What changed, as the `stock.changed` event's data carries it. */
export interface StockChange {
  item_code: string;
  site: string;
  qty_on_hand: number;
  qty_allocated: number;
  qty_available: number;
  reason: 'reservation_created' | 'reservation_released' | 'adjusted';
}

/** The WMS's data in memory: sites, stock per item and site, shipments, reservations. */
export class InventoryStore {
  /** Told of every stock level that changed, after the change (the webhook sender listens). */
  onStockChanged: (change: StockChange) => void = () => undefined;
  readonly sites: InventorySiteRecord[];
  private readonly siteById: Map<string, InventorySiteRecord>;
  private readonly stockByItem = new Map<string, InventoryStockRecord[]>();
  private readonly shipmentsByOrder = new Map<string, InventoryShipmentRecord[]>();
  private readonly reservations = new Map<string, ReservationRecord>();

  constructor(world: World['inventory']) {
    this.sites = world.sites.map((s) => ({ ...s }));
    this.siteById = new Map(this.sites.map((s) => [s.site_id, s]));
    for (const level of world.stock) {
      const copy = { ...level };
      const list = this.stockByItem.get(copy.item_code);
      if (list) list.push(copy);
      else this.stockByItem.set(copy.item_code, [copy]);
    }
    for (const shipment of world.shipments) {
      const list = this.shipmentsByOrder.get(shipment.order_ref);
      if (list) list.push(shipment);
      else this.shipmentsByOrder.set(shipment.order_ref, [shipment]);
    }
  }

  site(id: string) {
    return this.siteById.get(id);
  }

  /** Stock of one item at every site that holds it; undefined for an item the WMS never stocked. */
  stockOf(itemCode: string): StockLevel[] | undefined {
    return this.stockByItem.get(itemCode)?.map(withAvailable);
  }

  shipmentsOf(orderRef: string): InventoryShipmentRecord[] {
    return this.shipmentsByOrder.get(orderRef) ?? [];
  }

  reservation(id: string) {
    return this.reservations.get(id);
  }

  /**
   * Allocates every line or none: availability is checked for all lines
   * first, and a shortfall names each item with what was asked and what is
   * available.
   */
  reserve(input: NewReservation, now: Date = new Date()): ReservationRecord {
    if (typeof input?.reference !== 'string' || input.reference.length === 0) {
      throw new SandboxHttpError(400, 'invalid_reference', 'reference is required');
    }
    if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > 100) {
      throw new SandboxHttpError(400, 'invalid_lines', 'a reservation needs 1 to 100 lines');
    }
    const plan: { level: InventoryStockRecord; qty: number }[] = [];
    const shortfalls: { item_code: string; requested: number; available: number }[] = [];
    const planned = new Map<InventoryStockRecord, number>();
    input.lines.forEach((line, i) => {
      if (!Number.isInteger(line?.qty) || line.qty < 1) {
        throw new SandboxHttpError(
          400,
          'invalid_qty',
          `line ${i + 1}: qty must be a positive whole number`,
        );
      }
      const levels = this.stockByItem.get(String(line.item_code));
      if (!levels)
        throw new SandboxHttpError(
          404,
          'unknown_item',
          `line ${i + 1}: unknown item_code ${String(line.item_code)}`,
        );
      const candidates = (
        line.site_id ? levels.filter((l) => l.site_id === line.site_id) : [...levels]
      ).sort((a, b) => free(b, planned) - free(a, planned));
      const available = candidates.reduce((sum, l) => sum + free(l, planned), 0);
      if (available < line.qty) {
        shortfalls.push({ item_code: line.item_code, requested: line.qty, available });
        return;
      }
      let remaining = line.qty;
      for (const level of candidates) {
        const take = Math.min(remaining, free(level, planned));
        if (take <= 0) continue;
        plan.push({ level, qty: take });
        planned.set(level, (planned.get(level) ?? 0) + take);
        remaining -= take;
        if (remaining === 0) break;
      }
    });
    if (shortfalls.length > 0) {
      throw new SandboxHttpError(409, 'insufficient_stock', 'not enough stock for every line', {
        shortfalls,
      });
    }
    const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const { level, qty } of plan) {
      level.qty_allocated += qty;
      level.updated_at = stamp;
    }
    for (const level of planned.keys()) this.changed(level, 'reservation_created');
    const reservation: ReservationRecord = {
      reservation_id: `RSV-${randomUUID()}`,
      reference: input.reference,
      status: 'HELD',
      created_at: stamp,
      released_at: null,
      lines: plan.map(({ level, qty }) => ({
        item_code: level.item_code,
        site_id: level.site_id,
        qty,
      })),
    };
    this.reservations.set(reservation.reservation_id, reservation);
    return reservation;
  }

  /** Releasing twice is harmless: the second call changes nothing. */
  release(id: string, now: Date = new Date()): ReservationRecord {
    const reservation = this.reservations.get(id);
    if (!reservation) throw new SandboxHttpError(404, 'not_found', `no reservation ${id}`);
    if (reservation.status === 'RELEASED') return reservation;
    const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const line of reservation.lines) {
      const level = this.stockByItem.get(line.item_code)?.find((l) => l.site_id === line.site_id);
      if (level) {
        level.qty_allocated = Math.max(0, level.qty_allocated - line.qty);
        level.updated_at = stamp;
        this.changed(level, 'reservation_released');
      }
    }
    reservation.status = 'RELEASED';
    reservation.released_at = stamp;
    return reservation;
  }

  /**
   * Sets an item's quantity on hand at a site (a stock count, a goods
   * receipt): the admin API's way to change stock in tests. Without a site,
   * the item's first site.
   */
  setOnHand(itemCode: string, qtyOnHand: number, siteId?: string, now = new Date()): StockLevel {
    if (!Number.isInteger(qtyOnHand) || qtyOnHand < 0) {
      throw new SandboxHttpError(400, 'invalid_qty', 'qty_on_hand must be a whole number ≥ 0');
    }
    const levels = this.stockByItem.get(itemCode);
    if (!levels) throw new SandboxHttpError(404, 'unknown_item', `unknown item_code ${itemCode}`);
    const level = siteId ? levels.find((l) => l.site_id === siteId) : levels[0];
    if (!level) {
      throw new SandboxHttpError(404, 'unknown_site', `item ${itemCode} has no stock at ${siteId}`);
    }
    level.qty_on_hand = qtyOnHand;
    level.updated_at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.changed(level, 'adjusted');
    return withAvailable(level);
  }

  private changed(level: InventoryStockRecord, reason: StockChange['reason']): void {
    const { item_code, site_id, qty_on_hand, qty_allocated, qty_available } = withAvailable(level);
    this.onStockChanged({
      item_code,
      site: site_id,
      qty_on_hand,
      qty_allocated,
      qty_available,
      reason,
    });
  }
}

function withAvailable(level: InventoryStockRecord): StockLevel {
  return { ...level, qty_available: Math.max(0, level.qty_on_hand - level.qty_allocated) };
}

function free(level: InventoryStockRecord, planned: Map<InventoryStockRecord, number>): number {
  return Math.max(0, level.qty_on_hand - level.qty_allocated - (planned.get(level) ?? 0));
}
