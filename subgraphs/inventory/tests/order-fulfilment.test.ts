import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeInventoryClient } from '../src/inventory/FakeInventoryClient.js';
import type { WmsShipment } from '../src/inventory/types.js';
import { createTestServer } from './createTestServer.js';
import { orderId, sku, wmsShipment, wmsSite, wmsStock } from './fixtures.js';

// An order as the warehouses see it, reached through `_entities`: its
// shipments, and a fulfilment status derived from them.

type Status = WmsShipment['status'];

describe('order fulfilment', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each<[string, Status[], string]>([
    ['no shipments', [], 'UNFULFILLED'],
    ['only PICKING', ['PICKING'], 'PROCESSING'],
    ['several PICKING', ['PICKING', 'PICKING'], 'PROCESSING'],
    ['one IN_TRANSIT', ['IN_TRANSIT'], 'SHIPPED'],
    ['PICKING and IN_TRANSIT', ['PICKING', 'IN_TRANSIT'], 'SHIPPED'],
    ['PICKING and DELIVERED', ['PICKING', 'DELIVERED'], 'SHIPPED'],
    ['IN_TRANSIT and DELIVERED', ['IN_TRANSIT', 'DELIVERED'], 'SHIPPED'],
    ['all DELIVERED', ['DELIVERED', 'DELIVERED'], 'DELIVERED'],
  ])('%s → %s', async (_label, statuses, expected) => {
    const site = wmsSite();
    const id = orderId();
    const fake = new FakeInventoryClient({
      sites: [site],
      shipments: statuses.map((status) => wmsShipment(id, site, { status })),
    });

    const result = await server.run(
      fake,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id fulfilmentStatus } } }`,
      { r: [{ __typename: 'Order', id }] },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ _entities: [{ id, fulfilmentStatus: expected }] });
  });

  it('maps shipments, with warehouse, lines and dates', async () => {
    const site = wmsSite({ site_name: 'Leipzig Hub', city: 'Leipzig', country_code: 'DE' });
    const id = orderId();
    const [a, b] = [sku(), sku()];
    const delivered = wmsShipment(id, site, {
      carrier: 'UPS',
      tracking_no: '1Z999AA10123456784',
      status: 'DELIVERED',
      shipped_at: '2025-03-15T12:00:00Z',
      delivered_at: '2025-03-17T09:30:00Z',
      lines: [
        { item_code: a, qty: 2 },
        { item_code: b, qty: 1 },
      ],
    });
    const picking = wmsShipment(id, site, {
      status: 'PICKING',
      shipped_at: null,
      delivered_at: null,
      lines: [{ item_code: b, qty: 4 }],
    });
    const fake = new FakeInventoryClient({
      sites: [site],
      shipments: [delivered, picking],
      stock: [wmsStock(b, [[site, 9, 4]])],
    });

    const result = await server.run(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Order {
              fulfilmentStatus
              shipments {
                id
                carrier
                trackingNumber
                status
                shippedAt
                deliveredAt
                warehouse {
                  id
                  name
                  city
                  country
                }
                lines {
                  quantity
                  product {
                    sku
                    stock {
                      available
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { r: [{ __typename: 'Order', id }] },
    );

    expect(result.errors).toBeUndefined();
    const warehouse = { id: site.site_id, name: 'Leipzig Hub', city: 'Leipzig', country: 'DE' };
    expect(result.data).toEqual({
      _entities: [
        {
          fulfilmentStatus: 'SHIPPED',
          shipments: [
            {
              id: delivered.shipment_id,
              carrier: 'UPS',
              trackingNumber: '1Z999AA10123456784',
              status: 'DELIVERED',
              shippedAt: '2025-03-15T12:00:00Z',
              deliveredAt: '2025-03-17T09:30:00Z',
              warehouse,
              lines: [
                { quantity: 2, product: { sku: a, stock: { available: 0 } } },
                { quantity: 1, product: { sku: b, stock: { available: 5 } } },
              ],
            },
            {
              id: picking.shipment_id,
              carrier: 'DHL',
              trackingNumber: picking.tracking_no,
              status: 'PICKING',
              shippedAt: null,
              deliveredAt: null,
              warehouse,
              lines: [{ quantity: 4, product: { sku: b, stock: { available: 5 } } }],
            },
          ],
        },
      ],
    });
    // Stock for the lines' products is one batch, each SKU once.
    expect(fake.callsTo('stockOfItems')).toEqual([[[a, b]]]);
  });

  it('shipments of many orders: one shipmentsOfOrders call, one sites() call', async () => {
    const sites = [wmsSite(), wmsSite(), wmsSite()];
    const ids = Array.from({ length: 25 }, () => orderId());
    const shipments = ids.flatMap((id, i) =>
      Array.from({ length: i % 3 }, (_, k) => wmsShipment(id, sites[k] as (typeof sites)[number])),
    );
    const fake = new FakeInventoryClient({ sites, shipments });

    const result = await server.run<{
      _entities: {
        id: string;
        fulfilmentStatus: string;
        shipments: { id: string; warehouse: { name: string } }[];
      }[];
    }>(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Order {
              id
              fulfilmentStatus
              shipments {
                id
                warehouse {
                  name
                }
              }
            }
          }
        }
      `,
      { r: ids.map((id) => ({ __typename: 'Order', id })) },
    );

    expect(result.errors).toBeUndefined();
    const entities = result.data?._entities ?? [];
    expect(entities.map((e) => e.id)).toEqual(ids);
    for (const [i, entity] of entities.entries()) {
      expect(entity.shipments.map((s) => s.id)).toEqual(
        shipments.filter((s) => s.order_ref === ids[i]).map((s) => s.shipment_id),
      );
      expect(entity.shipments.map((s) => s.warehouse.name)).toEqual(
        sites.slice(0, i % 3).map((s) => s.site_name),
      );
      expect(entity.fulfilmentStatus).toBe(i % 3 === 0 ? 'UNFULFILLED' : 'SHIPPED');
    }
    expect(fake.calls.map((c) => c.method)).toEqual(['shipmentsOfOrders', 'sites']);
    expect(fake.callsTo('shipmentsOfOrders')).toEqual([[ids]]);
  });
});
