import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeErpClient } from '../src/erp/FakeErpClient.js';
import { createTestServer } from './createTestServer.js';
import { erpClient, erpOrder, erpProduct } from './fixtures.js';

// Regression: nested pages that share a cursor were batched into one
// upstream call for several parents, which the ERP refuses; the parent the
// cursor belongs to then lost its page too.

const CUSTOMER_ORDERS = /* GraphQL */ `
  query ($r: [_Any!]!, $after: String) {
    _entities(representations: $r) {
      ... on Customer {
        id
        orders(first: 2, after: $after) {
          nodes {
            id
          }
          pageInfo {
            endCursor
          }
        }
      }
    }
  }
`;

type Data = {
  _entities: ({
    id: string;
    orders: { nodes: { id: string }[]; pageInfo: { endCursor: string } } | null;
  } | null)[];
};

describe('a nested page after a cursor', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is fetched for its own parent alone, so that parent gets its next page', async () => {
    const product = erpProduct();
    const [a, b] = [erpClient(), erpClient()];
    const orders = [a, a, a, a, b, b].map((client) => erpOrder(client!, [product]));
    const fake = new FakeErpClient({ clients: [a!, b!], products: [product], orders });
    const reps = [
      { __typename: 'Customer', id: a!.crm_contact_id },
      { __typename: 'Customer', id: b!.crm_contact_id },
    ];

    const first = await server.run<Data>(fake, CUSTOMER_ORDERS, { r: reps });
    const cursorOfA = first.data!._entities[0]!.orders!.pageInfo.endCursor;
    const callsBefore = fake.callsTo('ordersOfClients').length;

    const second = await server.run<Data>(fake, CUSTOMER_ORDERS, { r: reps, after: cursorOfA });

    const newestFirst = orders.filter((o) => o.client_number === a!.client_number).reverse();
    expect(second.data!._entities[0]!.orders!.nodes.map((o) => o.id)).toEqual(
      newestFirst.slice(2, 4).map((o) => String(o.doc_id)),
    );
    // One call per parent: the cursor is A's, so B's page fails on its own.
    const calls = fake.callsTo('ordersOfClients').slice(callsBefore);
    expect(calls.map(([clientNumbers]) => clientNumbers)).toEqual(
      expect.arrayContaining([[a!.client_number], [b!.client_number]]),
    );
    expect(second.errors?.map((e) => e.path)).toEqual([['_entities', 1, 'orders']]);
  });
});
