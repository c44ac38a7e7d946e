import { encodeCursor } from '@bff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeErpClient } from '../src/erp/FakeErpClient.js';
import { createTestServer } from './createTestServer.js';
import { erpWorld } from './fixtures.js';

// Bad arguments are the caller's mistake (BAD_USER_INPUT naming the argument)
// and are refused before the ERP is called; a well-formed id the ERP does not
// know is NOT_FOUND at the field's path, with the rest of the response intact.

describe('order arguments', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('order(id: "abc") is BAD_USER_INPUT naming "id", and the ERP is not called', async () => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 2 }));

    const result = await server.run(fake, `query { order(id: "abc") { id } }`);

    expect(result.data).toEqual({ order: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['order'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
    });
    expect(result.errors?.[0]?.message).toContain('"id"');
    expect(fake.calls).toEqual([]);
  });

  it('order(id: "1") that the ERP does not know is null with NOT_FOUND at ["order"]', async () => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 2 }));

    const result = await server.run(
      fake,
      `query { order(id: "1") { id } known: orders(first: 1) { nodes { id } } }`,
    );

    expect(result.data?.order).toBeNull();
    expect(result.data?.known).toEqual({ nodes: [{ id: expect.stringMatching(/^\d+$/) }] });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['order'],
      extensions: { code: 'NOT_FOUND' },
    });
    expect(fake.callsTo('ordersById')).toEqual([[['1']]]);
  });

  it.each([0, 101, -1])('orders(first: %i) is BAD_USER_INPUT naming "first"', async (first) => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 2 }));

    const result = await server.run(
      fake,
      `query ($f: Int) { orders(first: $f) { nodes { id } } }`,
      {
        f: first,
      },
    );

    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['orders'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'first', min: 1, max: 100, actual: first },
    });
    expect(result.errors?.[0]?.message).toContain('"first"');
    // `orders` is non-null, so the error nulls the whole response data.
    expect(result.data).toBeNull();
    expect(fake.calls).toEqual([]);
  });

  it('orders(first: 100) is within bounds', async () => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 120 }));

    const result = await server.run<{
      orders: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } };
    }>(fake, `query { orders(first: 100) { nodes { id } pageInfo { hasNextPage } } }`);

    expect(result.errors).toBeUndefined();
    expect(result.data?.orders.nodes).toHaveLength(100);
    expect(result.data?.orders.pageInfo.hasNextPage).toBe(true);
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['empty', ''],
    ['another list’s cursor', encodeCursor('product', 'SKU-1')],
    ['a cursor with no key', encodeCursor('order', '')],
  ])('orders(after: %s) is BAD_USER_INPUT naming "after"', async (_label, after) => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 2 }));

    const result = await server.run(
      fake,
      `query ($a: String) { orders(first: 2, after: $a) { nodes { id } } }`,
      {
        a: after,
      },
    );

    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['orders'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
    expect(fake.calls).toEqual([]);
  });

  it('an order cursor naming an order the ERP no longer lists is BAD_USER_INPUT from the ERP', async () => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 2 }));

    const result = await server.run(
      fake,
      `query ($a: String) { orders(first: 2, after: $a) { nodes { id } } }`,
      {
        a: encodeCursor('order', '1'),
      },
    );

    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['orders'],
      extensions: { code: 'BAD_USER_INPUT', upstream: 'erp' },
    });
    expect(fake.callsTo('listOrders')).toEqual([
      [{ limit: 2, afterKey: '1', filter: { status: undefined } }],
    ]);
  });

  it("a customer's orders(first: 0) is BAD_USER_INPUT at that customer's field only", async () => {
    const world = erpWorld({ clientCount: 1, orderCount: 2 });
    const fake = new FakeErpClient(world);
    const id = world.clients[0]?.crm_contact_id;

    const result = await server.run<{ _entities: ({ orders: unknown } | null)[] }>(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Customer {
              id
              account {
                accountNumber
              }
              orders(first: 0) {
                nodes {
                  id
                }
              }
            }
          }
        }
      `,
      { r: [{ __typename: 'Customer', id }] },
    );

    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['_entities', 0, 'orders'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
    // No connection for that customer (how far the null climbs is the schema's nullability).
    expect(result.data?._entities[0]?.orders ?? null).toBeNull();
    expect(fake.callsTo('ordersOfClients')).toEqual([]);
  });
});
