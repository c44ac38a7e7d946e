import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Matches the host or `:port` of a service's URL anywhere in a response. */
function leaksAddressOf(url: string): RegExp {
  const { hostname, port } = new URL(url);
  return new RegExp(`${hostname.replace(/\./g, '\\.')}|:${port}\\b`);
}

describe('bad requests get a clear, coded error, never a 500', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ gatewayEnv: { MAX_BODY_BYTES: '20000' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('an unknown id is null with NOT_FOUND at its path, carrying the request id', async () => {
    const result = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ customer(id: "C999999") { name } product(sku: "NOPE-1") { name } }' },
      { ...stack.fullAccess, 'x-request-id': 'test-unknown-id' },
    );
    expect(result.status).toBe(200);
    expect(result.headers.get('x-request-id')).toBe('test-unknown-id');
    expect(result.body.data).toEqual({ customer: null, product: null });
    expect(result.body.errors).toEqual(
      expect.arrayContaining([
        {
          message: 'No customer has id "C999999".',
          path: ['customer'],
          extensions: {
            code: 'NOT_FOUND',
            argument: 'id',
            serviceName: 'crm',
            requestId: 'test-unknown-id',
          },
        },
        {
          message: 'No product has SKU "NOPE-1".',
          path: ['product'],
          extensions: {
            code: 'NOT_FOUND',
            argument: 'sku',
            serviceName: 'erp',
            requestId: 'test-unknown-id',
          },
        },
      ]),
    );
  });

  it('a malformed id is BAD_USER_INPUT naming the argument', async () => {
    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query: '{ order(id: "../admin") { number } }',
      },
      stack.fullAccess,
    );
    expect(result.body.data).toEqual({ order: null });
    expect(result.body.errors?.[0]).toMatchObject({
      path: ['order'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
    });
  });

  it('first: 101 is BAD_USER_INPUT with the allowed range, and no upstream is asked', async () => {
    await stack.resetCounters();
    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query: '{ orders(first: 101) { nodes { number } } }',
      },
      stack.fullAccess,
    );
    expect(result.status).toBe(200);
    expect(result.body.errors).toEqual([
      {
        message: '"first" must be between 1 and 100; got 101.',
        path: ['orders'],
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          argument: 'first',
          min: 1,
          max: 100,
          actual: 101,
        }),
      },
    ]);
    expect((await stack.upstreamCalls({ excludeTokens: true })).total).toBe(0);
  });

  it('first: 100000 is refused by the cost limit at the gateway, before any subgraph', async () => {
    const result = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ orders(first: 100000) { nodes { number } } }' },
      stack.fullAccess,
    );
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: 'COST_ESTIMATED_TOO_EXPENSIVE',
      limit: 20_000,
      measured: 100_001,
    });
  });

  it('a cursor that is not from this list is BAD_USER_INPUT', async () => {
    const customers = await postGraphQL<{ customers: { pageInfo: { endCursor: string } } }>(
      stack.gatewayUrl,
      {
        query: '{ customers(first: 1) { pageInfo { endCursor } } }',
      },
      stack.fullAccess,
    );
    const customerCursor = customers.body.data!.customers.pageInfo.endCursor;
    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query: 'query($after: String) { orders(first: 2, after: $after) { nodes { number } } }',
        variables: { after: customerCursor },
      },
      stack.fullAccess,
    );
    expect(result.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
  });

  it('an unknown operationName is a 400 that names the operations there are', async () => {
    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query:
          'query Orders { orders(first: 1) { nodes { number } } } query Sites { warehouses { id } }',
        operationName: 'Customers',
      },
      stack.fullAccess,
    );
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]).toMatchObject({
      message: 'The document has no operation named "Customers"; it has "Orders", "Sites".',
      extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
    });
  });

  it('several operations without an operationName is a 400', async () => {
    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query:
          'query Orders { orders(first: 1) { nodes { number } } } query Sites { warehouses { id } }',
      },
      stack.fullAccess,
    );
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
  });

  it('syntax and validation errors are 400s with Apollo’s codes', async () => {
    const syntax = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ orders(first: ' },
      stack.fullAccess,
    );
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await postGraphQL(
      stack.gatewayUrl,
      {
        query: '{ orders(first: 1) { nodes { colour } } }',
      },
      stack.fullAccess,
    );
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a body over the limit is a 413 in GraphQL’s error shape', async () => {
    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query: `{ warehouses { id } } # ${'x'.repeat(30_000)}`,
      },
      stack.fullAccess,
    );
    expect(result.status).toBe(413);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(result.body.errors?.[0]?.extensions?.requestId).toBe(result.headers.get('x-request-id'));
  });
});

describe('a failing system costs only its own fields', () => {
  const ORDERS = /* GraphQL */ `
    {
      orders(first: 3) {
        nodes {
          number
          total {
            amount
            currency
          }
          customer {
            name
            account {
              balance {
                amount
              }
            }
          }
          lines {
            quantity
            product {
              name
              stock {
                available
              }
            }
          }
        }
      }
    }
  `;
  let stack: Stack;
  let healthy: Record<string, unknown>;
  beforeAll(async () => {
    // What the upstream does is the subject here: no cache of the inventory subgraph answering for it.
    stack = await startStack({ subgraphEnv: { REFERENCE_CACHE: 'off' } });
    healthy = (await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess)).body
      .data as Record<string, unknown>;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('with the inventory upstream failing, stock is null with UPSTREAM_UNAVAILABLE at each path; the rest is whole', async () => {
    await stack.sandboxes.inventory.admin.setFaults({ status: 503 });
    await stack.sandboxes.inventory.admin.expireTokens();
    try {
      const result = await postGraphQL<typeof healthy>(
        stack.gatewayUrl,
        { query: ORDERS },
        stack.fullAccess,
      );
      expect(result.status).toBe(200);
      const expected = structuredClone(healthy) as {
        orders: { nodes: { lines: { product: { stock: unknown } }[] }[] };
      };
      for (const order of expected.orders.nodes)
        for (const line of order.lines) line.product.stock = null;
      expect(result.body.data).toEqual(expected);
      const stockPaths = expected.orders.nodes.flatMap((order, o) =>
        order.lines.map((_, l) => ['orders', 'nodes', o, 'lines', l, 'product', 'stock']),
      );
      expect(result.body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(stockPaths));
      for (const error of result.body.errors ?? []) {
        expect(error.extensions).toMatchObject({
          code: 'UPSTREAM_UNAVAILABLE',
          upstream: 'inventory',
          serviceName: 'inventory',
        });
      }
      expect(JSON.stringify(result.body)).not.toMatch(
        leaksAddressOf(stack.sandboxes.inventory.url),
      );
    } finally {
      await stack.sandboxes.inventory.admin.clearFaults();
    }
  });

  it('with the CRM subgraph down, CRM fields are null and ERP and inventory data are whole', async () => {
    await stack.subgraphs.crm.close();
    const result = await postGraphQL<typeof healthy>(
      stack.gatewayUrl,
      { query: ORDERS },
      stack.fullAccess,
    );
    expect(result.status).toBe(200);
    const expected = structuredClone(healthy) as {
      orders: { nodes: { customer: { name: unknown } }[] };
    };
    for (const order of expected.orders.nodes) order.customer.name = null;
    expect(result.body.data).toEqual(expected);
    expect(result.body.errors).toEqual([
      {
        message: 'The crm service is unavailable.',
        extensions: {
          code: 'SUBGRAPH_UNAVAILABLE',
          serviceName: 'crm',
          requestId: result.headers.get('x-request-id'),
        },
      },
    ]);
    expect(JSON.stringify(result.body)).not.toMatch(leaksAddressOf(stack.subgraphs.crm.url));
  });
});
