import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeInventoryClient } from '../src/inventory/FakeInventoryClient.js';
import { createTestServer } from './createTestServer.js';
import { sku, wmsSite, wmsStock } from './fixtures.js';

// A product's stock as the gateway asks for it: `_entities` by SKU. Totals sum
// the warehouses, nothing is available below zero, and a SKU the WMS never
// stocked simply has none.

const STOCK = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Product {
        sku
        stock {
          onHand
          reserved
          available
        }
        inStock
      }
    }
  }
`;

type StockData = {
  _entities: {
    sku: string;
    stock: { onHand: number; reserved: number; available: number };
    inStock: boolean;
  }[];
};

const refs = (skus: readonly string[]) => skus.map((s) => ({ __typename: 'Product', sku: s }));

describe('product stock', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('sums stock over the warehouses', async () => {
    const [a, b, c] = [wmsSite(), wmsSite(), wmsSite()] as const;
    const code = sku();
    const fake = new FakeInventoryClient({
      sites: [a, b, c],
      stock: [
        wmsStock(code, [
          [a, 10, 3],
          [b, 25, 5],
          [c, 0, 0],
        ]),
      ],
    });

    const result = await server.run<StockData>(fake, STOCK, { r: refs([code]) });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { sku: code, stock: { onHand: 35, reserved: 8, available: 27 }, inStock: true },
    ]);
  });

  it('available is never negative when a warehouse is over-allocated', async () => {
    const site = wmsSite();
    const code = sku();
    const fake = new FakeInventoryClient({
      sites: [site],
      stock: [wmsStock(code, [[site, 5, 8]])],
    });

    const result = await server.run<StockData>(fake, STOCK, { r: refs([code]) });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { sku: code, stock: { onHand: 5, reserved: 8, available: 0 }, inStock: false },
    ]);
  });

  it("the total available is the sum of each warehouse's free stock: an over-allocated one counts as zero", async () => {
    // This is what the WMS itself will reserve (it takes free stock site by
    // site), so the graph promises exactly what a reservation can get:
    // 7 from A, none from B, although on hand − reserved over both is 4.
    const [a, b] = [wmsSite(), wmsSite()] as const;
    const code = sku();
    const fake = new FakeInventoryClient({
      sites: [a, b],
      stock: [
        wmsStock(code, [
          [a, 10, 3],
          [b, 5, 8],
        ]),
      ],
    });

    const result = await server.run<StockData>(fake, STOCK, { r: refs([code]) });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { sku: code, stock: { onHand: 15, reserved: 11, available: 7 }, inStock: true },
    ]);
  });

  it('inStock is false when everything on hand is reserved', async () => {
    const site = wmsSite();
    const code = sku();
    const fake = new FakeInventoryClient({
      sites: [site],
      stock: [wmsStock(code, [[site, 4, 4]])],
    });

    const result = await server.run<StockData>(fake, STOCK, { r: refs([code]) });

    expect(result.data?._entities[0]).toMatchObject({ stock: { available: 0 }, inStock: false });
  });

  it('a SKU the WMS never stocked has zero stock and no warehouses, not an error', async () => {
    const fake = new FakeInventoryClient({ sites: [wmsSite()] });
    const code = sku();

    const result = await server.run(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Product {
              sku
              stock {
                onHand
                reserved
                available
              }
              inStock
              stockByWarehouse {
                onHand
              }
            }
          }
        }
      `,
      { r: refs([code]) },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      _entities: [
        {
          sku: code,
          stock: { onHand: 0, reserved: 0, available: 0 },
          inStock: false,
          stockByWarehouse: [],
        },
      ],
    });
  });

  it('stock of many products: one stockOfItems call with each SKU once', async () => {
    const site = wmsSite();
    const codes = Array.from({ length: 30 }, () => sku());
    const fake = new FakeInventoryClient({
      sites: [site],
      stock: codes.map((code, i) => wmsStock(code, [[site, i, 0]])),
    });

    // The gateway may repeat a representation; the WMS is asked once per SKU.
    const result = await server.run<StockData>(fake, STOCK, {
      r: refs([...codes, ...codes.slice(0, 5)]),
    });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities.map((e) => e.stock.onHand)).toEqual([
      ...codes.map((_, i) => i),
      0,
      1,
      2,
      3,
      4,
    ]);
    expect(fake.calls).toEqual([{ method: 'stockOfItems', args: [codes] }]);
  });

  it('stockByWarehouse names its warehouses from ONE sites() call, however many products', async () => {
    const sites = [wmsSite({ site_name: 'Rotterdam DC' }), wmsSite({ site_name: 'Leipzig Hub' })];
    const [rotterdam, leipzig] = sites as [ReturnType<typeof wmsSite>, ReturnType<typeof wmsSite>];
    const codes = Array.from({ length: 20 }, () => sku());
    const fake = new FakeInventoryClient({
      sites,
      stock: codes.map((code, i) =>
        wmsStock(
          code,
          i % 2 === 0
            ? [
                [rotterdam, 3, 1],
                [leipzig, 2, 0],
              ]
            : [[leipzig, 7, 9]],
        ),
      ),
    });

    const result = await server.run<{
      _entities: {
        stockByWarehouse: {
          warehouse: { id: string; name: string; city: string; country: string };
          onHand: number;
          reserved: number;
          available: number;
        }[];
      }[];
    }>(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Product {
              stockByWarehouse {
                warehouse {
                  id
                  name
                  city
                  country
                }
                onHand
                reserved
                available
              }
            }
          }
        }
      `,
      { r: refs(codes) },
    );

    expect(result.errors).toBeUndefined();
    const warehouse = (s: ReturnType<typeof wmsSite>) => ({
      id: s.site_id,
      name: s.site_name,
      city: s.city,
      country: s.country_code,
    });
    expect(result.data?._entities[0]?.stockByWarehouse).toEqual([
      { warehouse: warehouse(rotterdam), onHand: 3, reserved: 1, available: 2 },
      { warehouse: warehouse(leipzig), onHand: 2, reserved: 0, available: 2 },
    ]);
    expect(result.data?._entities[1]?.stockByWarehouse).toEqual([
      { warehouse: warehouse(leipzig), onHand: 7, reserved: 9, available: 0 },
    ]);
    expect(fake.calls.map((c) => c.method)).toEqual(['stockOfItems', 'sites']);
  });
});
