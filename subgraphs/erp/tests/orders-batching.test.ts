import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeErpClient } from '../src/erp/FakeErpClient.js';
import { createTestServer } from './createTestServer.js';
import { erpClient, erpOrder, erpProduct, erpWorld } from './fixtures.js';

// DataLoader turns every lookup of one request into one ERP call per kind of
// data: the cost of a page must not grow with its length.

const ORDERS_WITH_CUSTOMERS_AND_PRODUCTS = /* GraphQL */ `
  query ($first: Int!) {
    orders(first: $first) {
      nodes {
        id
        customer {
          id
        }
        lines {
          quantity
          product {
            sku
            name
          }
        }
      }
    }
  }
`;

type OrdersData = {
  orders: {
    nodes: {
      id: string;
      customer: { id: string };
      lines: { quantity: number; product: { sku: string; name: string } }[];
    }[];
  };
};

describe('orders batching', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each([3, 50])(
    'orders(first: %i) with customers and product names costs one call per kind of data',
    async (first) => {
      const world = erpWorld({ clientCount: 4, productCount: 5, orderCount: 60 });
      const fake = new FakeErpClient(world);

      const result = await server.run<OrdersData>(fake, ORDERS_WITH_CUSTOMERS_AND_PRODUCTS, {
        first,
      });

      expect(result.errors).toBeUndefined();
      const nodes = result.data?.orders.nodes ?? [];
      expect(nodes).toHaveLength(first);
      // The page is the newest `first` orders, and each names its own client.
      const newest = [...world.orders].sort((a, b) => b.doc_id - a.doc_id).slice(0, first);
      expect(nodes.map((n) => n.id)).toEqual(newest.map((o) => String(o.doc_id)));
      const crmIdOf = new Map(world.clients.map((c) => [c.client_number, c.crm_contact_id]));
      expect(nodes.map((n) => n.customer.id)).toEqual(
        newest.map((o) => crmIdOf.get(o.client_number)),
      );
      const titleOf = new Map(world.products.map((p) => [p.sku, p.title]));
      for (const node of nodes) {
        for (const line of node.lines)
          expect(line.product.name).toBe(titleOf.get(line.product.sku));
      }

      expect(fake.calls.map((c) => c.method).sort()).toEqual([
        'clientsByNumber',
        'listOrders',
        'productsBySku',
      ]);
      // Each key once, although many orders share a client and many lines a product.
      const clientNumbers = [...new Set(newest.map((o) => o.client_number))];
      const skus = [...new Set(newest.flatMap((o) => o.lines.map((l) => l.sku)))];
      expect(fake.callsTo('clientsByNumber')).toEqual([[clientNumbers]]);
      expect(fake.callsTo('productsBySku')).toEqual([[skus]]);
      expect(fake.callsTo('listOrders')).toEqual([
        [{ limit: first, afterKey: undefined, filter: { status: undefined } }],
      ]);
    },
  );

  it('a query that asks only for line SKUs never loads the products', async () => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 10 }));

    const result = await server.run<OrdersData>(
      fake,
      /* GraphQL */ `
        query {
          orders(first: 10) {
            nodes {
              lines {
                product {
                  sku
                }
              }
            }
          }
        }
      `,
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?.orders.nodes).toHaveLength(10);
    expect(result.data?.orders.nodes[0]?.lines[0]?.product.sku).toMatch(/^SKU-/);
    expect(fake.callsTo('productsBySku')).toEqual([]);
    expect(fake.calls.map((c) => c.method)).toEqual(['listOrders']);
  });

  it('an order line whose product the ERP no longer has answers NOT_FOUND at that product', async () => {
    const client = erpClient();
    const kept = erpProduct();
    const lost = erpProduct();
    const fake = new FakeErpClient({
      clients: [client],
      products: [kept],
      orders: [erpOrder(client, [kept, lost])],
    });

    const result = await server.run<OrdersData>(
      fake,
      /* GraphQL */ `
        query {
          orders(first: 5) {
            nodes {
              lines {
                product {
                  sku
                  name
                }
              }
            }
          }
        }
      `,
    );

    expect(result.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['NOT_FOUND', ['orders', 'nodes', 0, 'lines', 1, 'product', 'name']],
    ]);
  });

  it('_entities for many customers with account and orders: one client lookup, one orders call', async () => {
    const world = erpWorld({ clientCount: 12, orderCount: 40 });
    const fake = new FakeErpClient(world);
    const representations = world.clients.map((c) => ({
      __typename: 'Customer',
      id: c.crm_contact_id,
    }));

    const result = await server.run<{
      _entities: {
        id: string;
        account: { balance: { amount: string } } | null;
        orders: { nodes: { id: string }[] };
      }[];
    }>(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Customer {
              id
              account {
                balance {
                  amount
                }
              }
              orders(first: 2) {
                nodes {
                  id
                }
              }
            }
          }
        }
      `,
      { r: representations },
    );

    expect(result.errors).toBeUndefined();
    const entities = result.data?._entities ?? [];
    expect(entities.map((e) => e.id)).toEqual(world.clients.map((c) => c.crm_contact_id));
    for (const [i, entity] of entities.entries()) {
      const client = world.clients[i];
      const own = world.orders
        .filter((o) => o.client_number === client?.client_number)
        .sort((a, b) => b.doc_id - a.doc_id)
        .slice(0, 2);
      expect(entity.account?.balance.amount).toBe(client?.balance);
      expect(entity.orders.nodes.map((n) => n.id)).toEqual(own.map((o) => String(o.doc_id)));
    }

    expect(fake.calls.map((c) => c.method).sort()).toEqual(['clientsByCrmId', 'ordersOfClients']);
    expect(fake.callsTo('clientsByCrmId')).toEqual([[world.clients.map((c) => c.crm_contact_id)]]);
    expect(fake.callsTo('ordersOfClients')).toEqual([
      [
        world.clients.map((c) => c.client_number),
        { limit: 2, afterKey: undefined, filter: { status: undefined } },
      ],
    ]);
  });

  it('_entities for many orders: one ordersById call; an id that is not an ERP id resolves to null uncalled', async () => {
    const world = erpWorld({ clientCount: 3, orderCount: 20 });
    const fake = new FakeErpClient(world);
    const wanted = world.orders.slice(0, 15);

    const result = await server.run<{ _entities: ({ id: string; number: string } | null)[] }>(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Order {
              id
              number
              customer {
                id
              }
            }
          }
        }
      `,
      {
        r: [
          ...wanted.map((o) => ({ __typename: 'Order', id: String(o.doc_id) })),
          { __typename: 'Order', id: 'not-an-erp-id' },
        ],
      },
    );

    expect(result.errors).toBeUndefined();
    const entities = result.data?._entities ?? [];
    expect(entities.slice(0, -1).map((e) => e?.number)).toEqual(wanted.map((o) => o.order_number));
    expect(entities.at(-1)).toBeNull();
    expect(fake.callsTo('ordersById')).toEqual([[wanted.map((o) => String(o.doc_id))]]);
    expect(fake.callsTo('clientsByNumber')).toEqual([[world.clients.map((c) => c.client_number)]]);
  });

  it('orders listed with their customer account reuse the client record: no clientsByCrmId call', async () => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 8 }));

    const result = await server.run(
      fake,
      /* GraphQL */ `
        query {
          orders(first: 8) {
            nodes {
              customer {
                id
                account {
                  accountNumber
                }
              }
            }
          }
        }
      `,
    );

    expect(result.errors).toBeUndefined();
    expect(fake.calls.map((c) => c.method).sort()).toEqual(['clientsByNumber', 'listOrders']);
  });
});
