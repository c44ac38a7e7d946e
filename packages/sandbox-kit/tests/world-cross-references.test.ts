import { describe, expect, it } from 'vitest';

import { generateWorld } from '../src/world/generateWorld.js';
import { decimalToCents } from '../src/world/money.js';
import type { World } from '../src/world/records.js';

// The three systems' slices must line up, because the subgraphs join them.
// Two seeds, so a property cannot hold by luck of one draw.
const worlds: [string, World][] = [42, 7].map((seed) => [
  `seed ${seed}`,
  generateWorld({ seed, customers: 50, products: 30, warehouses: 2, orders: 300 }),
]);

const sum = (amounts: string[]) => amounts.reduce((total, a) => total + decimalToCents(a), 0);

describe.each(worlds)('world cross-references (%s)', (_name, world) => {
  const { erp, crm, inventory } = world;

  it('has records of every kind to check', () => {
    expect(erp.clients.length).toBeGreaterThan(0);
    expect(erp.invoices.length).toBeGreaterThan(0);
    expect(inventory.shipments.length).toBeGreaterThan(0);
    expect(crm.activities.length).toBeGreaterThan(0);
    expect(crm.contacts.some((c) => c.tier === 'PROSPECT')).toBe(true);
  });

  it('gives every ERP client a CRM contact, and no prospect an ERP client', () => {
    const contacts = new Map(crm.contacts.map((c) => [c.contactId, c]));
    for (const client of erp.clients) {
      const contact = contacts.get(client.crm_contact_id);
      expect(contact, client.client_number).toBeDefined();
      expect(contact?.tier).not.toBe('PROSPECT');
      expect(client.name).toBe(contact?.companyName);
    }
    const withClient = new Set(erp.clients.map((c) => c.crm_contact_id));
    expect(withClient.size).toBe(erp.clients.length);
    for (const contact of crm.contacts) {
      expect(withClient.has(contact.contactId), contact.contactId).toBe(
        contact.tier !== 'PROSPECT',
      );
    }
  });

  it('gives every contact and activity an existing owner, and every activity a contact', () => {
    const users = new Set(crm.users.map((u) => u.userId));
    const contacts = new Set(crm.contacts.map((c) => c.contactId));
    for (const contact of crm.contacts) expect(users.has(contact.ownerId)).toBe(true);
    for (const activity of crm.activities) {
      expect(users.has(activity.ownerId)).toBe(true);
      expect(contacts.has(activity.contactId)).toBe(true);
    }
  });

  it('numbers activities in time order', () => {
    crm.activities.forEach((activity, i) => {
      expect(activity.activityId).toBe(`A${String(i + 1).padStart(7, '0')}`);
      if (i > 0)
        expect(activity.occurredAt >= (crm.activities[i - 1]?.occurredAt ?? '')).toBe(true);
    });
  });

  it('orders only products the ERP sells, from clients it knows', () => {
    const skus = new Set(erp.products.map((p) => p.sku));
    const clients = new Set(erp.clients.map((c) => c.client_number));
    for (const order of erp.orders) {
      expect(clients.has(order.client_number)).toBe(true);
      for (const line of order.lines) expect(skus.has(line.sku), line.sku).toBe(true);
    }
  });

  it('gives every order 1 to 10 lines with distinct skus, numbered 10, 20, ...', () => {
    for (const order of erp.orders) {
      expect(order.lines.length).toBeGreaterThanOrEqual(1);
      expect(order.lines.length).toBeLessThanOrEqual(10);
      expect(new Set(order.lines.map((l) => l.sku)).size).toBe(order.lines.length);
      expect(order.lines.map((l) => l.line_no)).toEqual(order.lines.map((_, i) => (i + 1) * 10));
    }
  });

  it('adds up every order in integer cents: lines to net, net and tax to gross', () => {
    for (const order of erp.orders) {
      for (const line of order.lines) {
        expect(decimalToCents(line.line_amount)).toBe(decimalToCents(line.unit_price) * line.qty);
      }
      expect(sum(order.lines.map((l) => l.line_amount))).toBe(decimalToCents(order.net_amount));
      expect(decimalToCents(order.net_amount) + decimalToCents(order.tax_amount)).toBe(
        decimalToCents(order.gross_amount),
      );
      const client = erp.clients.find((c) => c.client_number === order.client_number);
      expect(order.currency).toBe(client?.currency);
    }
  });

  it('raises doc ids with created_at, oldest order first', () => {
    erp.orders.forEach((order, i) => {
      expect(order.doc_id).toBe(4_500_000_001 + i);
      expect(order.order_date).toBe(order.created_at.slice(0, 10));
      if (i > 0) {
        const previous = erp.orders[i - 1];
        expect(order.created_at >= (previous?.created_at ?? '')).toBe(true);
      }
    });
  });

  it('gives every INVOICED order exactly one invoice, and invoices nothing else', () => {
    const invoicesByOrder = new Map<number, number>();
    for (const invoice of erp.invoices) {
      invoicesByOrder.set(invoice.doc_id, (invoicesByOrder.get(invoice.doc_id) ?? 0) + 1);
    }
    const orders = new Map(erp.orders.map((o) => [o.doc_id, o]));
    for (const order of erp.orders) {
      expect(invoicesByOrder.get(order.doc_id) ?? 0).toBe(order.status === 'INVOICED' ? 1 : 0);
    }
    for (const invoice of erp.invoices) {
      const order = orders.get(invoice.doc_id);
      expect(order?.status).toBe('INVOICED');
      expect(invoice.client_number).toBe(order?.client_number);
      expect(invoice.currency).toBe(order?.currency);
      expect(invoice.gross_amount).toBe(order?.gross_amount);
      expect(invoice.open_amount).toBe(invoice.status === 'PAID' ? '0.00' : invoice.gross_amount);
    }
  });

  it('sets each client balance to the sum of its invoices’ open amounts', () => {
    for (const client of erp.clients) {
      const open = sum(
        erp.invoices
          .filter((i) => i.client_number === client.client_number)
          .map((i) => i.open_amount),
      );
      expect(decimalToCents(client.balance), client.client_number).toBe(open);
    }
    // Not trivially zero everywhere.
    expect(erp.clients.some((c) => decimalToCents(c.balance) > 0)).toBe(true);
  });

  it('keeps stock only for known items at known sites, one record per pair', () => {
    const skus = new Set(erp.products.map((p) => p.sku));
    const sites = new Set(inventory.sites.map((s) => s.site_id));
    const pairs = new Set<string>();
    for (const level of inventory.stock) {
      expect(skus.has(level.item_code)).toBe(true);
      expect(sites.has(level.site_id)).toBe(true);
      expect(level.qty_allocated).toBeGreaterThanOrEqual(0);
      expect(level.qty_allocated).toBeLessThanOrEqual(level.qty_on_hand);
      pairs.add(`${level.item_code}@${level.site_id}`);
    }
    expect(pairs.size).toBe(skus.size * sites.size);
  });

  it('ships only ERP orders, from known sites, with exactly the order’s lines', () => {
    const orders = new Map(erp.orders.map((o) => [String(o.doc_id), o]));
    const sites = new Set(inventory.sites.map((s) => s.site_id));
    const shippedLines = new Map<string, { item_code: string; qty: number }[]>();
    for (const shipment of inventory.shipments) {
      const order = orders.get(shipment.order_ref);
      expect(order, shipment.order_ref).toBeDefined();
      expect(['RELEASED', 'SHIPPED', 'INVOICED']).toContain(order?.status);
      expect(sites.has(shipment.site_id)).toBe(true);
      shippedLines.set(shipment.order_ref, [
        ...(shippedLines.get(shipment.order_ref) ?? []),
        ...shipment.lines,
      ]);
    }
    // A split shipment leaves from two different sites.
    const sitesByOrder = new Map<string, string[]>();
    for (const shipment of inventory.shipments) {
      sitesByOrder.set(shipment.order_ref, [
        ...(sitesByOrder.get(shipment.order_ref) ?? []),
        shipment.site_id,
      ]);
    }
    for (const sitesOfOrder of sitesByOrder.values()) {
      expect(new Set(sitesOfOrder).size).toBe(sitesOfOrder.length);
    }
    expect([...sitesByOrder.values()].some((s) => s.length === 2)).toBe(true);
    for (const [ref, lines] of shippedLines) {
      expect(lines).toEqual(orders.get(ref)?.lines.map((l) => ({ item_code: l.sku, qty: l.qty })));
    }
  });
});
