import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeInventoryClient } from '../src/inventory/FakeInventoryClient.js';
import { createTestServer } from './createTestServer.js';
import { wmsSite } from './fixtures.js';

// Warehouses are the WMS's sites, read in one call per request.

describe('warehouses', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const sites = [
    wmsSite({ site_name: 'Rotterdam DC', city: 'Rotterdam', country_code: 'NL' }),
    wmsSite({ site_name: 'Leipzig Hub', city: 'Leipzig', country_code: 'DE' }),
    wmsSite({ site_name: 'Reno West', city: 'Reno', country_code: 'US' }),
  ];
  const asWarehouse = (s: (typeof sites)[number]) => ({
    id: s.site_id,
    name: s.site_name,
    city: s.city,
    country: s.country_code,
  });

  it('warehouses lists every site, mapped', async () => {
    const fake = new FakeInventoryClient({ sites });

    const result = await server.run(fake, `query { warehouses { id name city country } }`);

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ warehouses: sites.map(asWarehouse) });
    expect(fake.calls).toEqual([{ method: 'sites', args: [] }]);
  });

  it('warehouse(id) finds a site; with warehouses in the same request it is still one sites() call', async () => {
    const fake = new FakeInventoryClient({ sites });
    const wanted = sites[1] as (typeof sites)[number];

    const result = await server.run(
      fake,
      `query ($id: ID!) { warehouse(id: $id) { id name city country } warehouses { id } }`,
      { id: wanted.site_id },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      warehouse: asWarehouse(wanted),
      warehouses: sites.map((s) => ({ id: s.site_id })),
    });
    expect(fake.calls).toEqual([{ method: 'sites', args: [] }]);
  });

  it('an unknown warehouse is null with NOT_FOUND at ["warehouse"], and the rest is served', async () => {
    const fake = new FakeInventoryClient({ sites });

    const result = await server.run(
      fake,
      `query { warehouse(id: "WH-nowhere") { id } warehouses { id } }`,
    );

    expect(result.data).toEqual({
      warehouse: null,
      warehouses: sites.map((s) => ({ id: s.site_id })),
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['warehouse'],
      extensions: { code: 'NOT_FOUND', argument: 'id' },
    });
  });

  it('warehouse(id) that is not a key is BAD_USER_INPUT naming "id", and the WMS is not called', async () => {
    const fake = new FakeInventoryClient({ sites });

    const result = await server.run(fake, `query { warehouse(id: "../sites") { id } }`);

    expect(result.data).toEqual({ warehouse: null });
    expect(result.errors?.[0]).toMatchObject({
      path: ['warehouse'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
    });
    expect(fake.calls).toEqual([]);
  });

  it('_entities resolves warehouses by id, unknown ones to null, from one sites() call', async () => {
    const fake = new FakeInventoryClient({ sites });

    const result = await server.run(
      fake,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Warehouse { id name } } }`,
      {
        r: [
          { __typename: 'Warehouse', id: sites[2]?.site_id },
          { __typename: 'Warehouse', id: 'WH-unknown' },
          { __typename: 'Warehouse', id: sites[0]?.site_id },
        ],
      },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      _entities: [
        { id: sites[2]?.site_id, name: 'Reno West' },
        null,
        { id: sites[0]?.site_id, name: 'Rotterdam DC' },
      ],
    });
    expect(fake.calls).toEqual([{ method: 'sites', args: [] }]);
  });
});
