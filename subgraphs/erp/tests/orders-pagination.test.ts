import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeErpClient } from '../src/erp/FakeErpClient.js';
import { createTestServer } from './createTestServer.js';
import { erpWorld } from './fixtures.js';

// Relay forward pagination over the ERP's keyset lists: the end cursor of one
// page, passed as `after`, continues exactly where that page stopped.

type Page = {
  nodes: { id: string }[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
};

const PAGE = `nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

describe('orders pagination', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('endCursor of page 1 as `after` yields page 2, with no overlap, down to the last page', async () => {
    const world = erpWorld({ orderCount: 25 });
    const fake = new FakeErpClient(world);
    const query = `query ($a: String) { orders(first: 10, after: $a) { ${PAGE} } }`;

    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const result = await server.run<{ orders: Page }>(fake, query, { a: after });
      expect(result.errors).toBeUndefined();
      const page = result.data?.orders as Page;
      pages.push(page);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null && pages.length < 5);

    expect(pages.map((p) => p.nodes.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    const ids = pages.flatMap((p) => p.nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(25);
    // Newest first, every order exactly once.
    const newestFirst = [...world.orders].sort((a, b) => b.doc_id - a.doc_id);
    expect(ids).toEqual(newestFirst.map((o) => String(o.doc_id)));
    for (const page of pages) {
      expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
    }
    // The cursor is opaque to clients and decodes to the ERP key it continues after.
    expect(fake.callsTo('listOrders').map(([request]) => request)).toEqual([
      { limit: 10, afterKey: undefined, filter: { status: undefined } },
      { limit: 10, afterKey: ids[9], filter: { status: undefined } },
      { limit: 10, afterKey: ids[19], filter: { status: undefined } },
    ]);
  });

  it("a customer's orders page on the same way", async () => {
    const world = erpWorld({ clientCount: 2, orderCount: 14 });
    const fake = new FakeErpClient(world);
    const client = world.clients[0];
    const query = /* GraphQL */ `
      query ($r: [_Any!]!, $a: String) {
        _entities(representations: $r) {
          ... on Customer { orders(first: 4, after: $a) { ${PAGE} } }
        }
      }
    `;
    const r = [{ __typename: 'Customer', id: client?.crm_contact_id }];

    const first = await server.run<{ _entities: { orders: Page }[] }>(fake, query, { r });
    const page1 = first.data?._entities[0]?.orders as Page;
    const second = await server.run<{ _entities: { orders: Page }[] }>(fake, query, {
      r,
      a: page1.pageInfo.endCursor,
    });
    const page2 = second.data?._entities[0]?.orders as Page;

    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const own = world.orders
      .filter((o) => o.client_number === client?.client_number)
      .sort((a, b) => b.doc_id - a.doc_id)
      .map((o) => String(o.doc_id));
    expect(own).toHaveLength(7);
    expect(page1.nodes.map((n) => n.id)).toEqual(own.slice(0, 4));
    expect(page2.nodes.map((n) => n.id)).toEqual(own.slice(4, 7));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('an order cursor is refused by other lists', async () => {
    const fake = new FakeErpClient(erpWorld({ orderCount: 3 }));
    const first = await server.run<{ orders: Page }>(
      fake,
      `query { orders(first: 1) { ${PAGE} } }`,
    );
    const cursor = first.data?.orders.pageInfo.endCursor;

    const result = await server.run(
      fake,
      `query ($a: String) { products(first: 1, after: $a) { nodes { sku } } }`,
      { a: cursor },
    );

    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
    expect(fake.callsTo('listProducts')).toEqual([]);
  });
});
