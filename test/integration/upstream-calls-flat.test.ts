import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Batching is proven by the sandboxes' own request counters: a page of N
// items must cost the same upstream calls for N = 10 as for N = 100.

const ORDERS_WITH_CUSTOMERS_AND_STOCK = /* GraphQL */ `
  query OrdersPage($first: Int!) {
    orders(first: $first) {
      nodes {
        number
        customer {
          name
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

const CUSTOMERS_WITH_EVERYTHING = /* GraphQL */ `
  query CustomersPage($first: Int!) {
    customers(first: $first) {
      nodes {
        name
        accountManager {
          name
        }
        activities(first: 3) {
          nodes {
            subject
          }
        }
        account {
          balance {
            amount
          }
        }
        orders(first: 2) {
          nodes {
            number
            invoice {
              amountDue {
                amount
              }
            }
            shipments {
              carrier
            }
            lines {
              product {
                name
                inStock
              }
            }
          }
        }
      }
    }
  }
`;

describe('upstream calls do not grow with the page size', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    // Tokens are fetched once per upstream and then cached; take them out of the count.
    await postGraphQL(
      stack.gatewayUrl,
      {
        query: ORDERS_WITH_CUSTOMERS_AND_STOCK,
        variables: { first: 1 },
      },
      stack.fullAccess,
    );
    await postGraphQL(
      stack.gatewayUrl,
      {
        query: CUSTOMERS_WITH_EVERYTHING,
        variables: { first: 1 },
      },
      stack.fullAccess,
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function callsFor(query: string, first: number) {
    await stack.resetCounters();
    const result = await postGraphQL<Record<string, { nodes: unknown[] }>>(
      stack.gatewayUrl,
      { query, variables: { first } },
      stack.fullAccess,
    );
    expect(result.body.errors).toBeUndefined();
    expect(Object.values(result.body.data ?? {})[0]?.nodes).toHaveLength(first);
    return stack.upstreamCalls();
  }

  it('first N orders with customer name and each line’s product name and stock: same calls for N = 10 and 100', async () => {
    const ten = await callsFor(ORDERS_WITH_CUSTOMERS_AND_STOCK, 10);
    const hundred = await callsFor(ORDERS_WITH_CUSTOMERS_AND_STOCK, 100);
    expect(hundred).toEqual(ten);
    // One call per kind of data: the order page, the ERP clients behind the
    // orders, the products; the CRM contacts; the stock.
    expect(ten).toEqual({ erp: 3, crm: 1, inventory: 1, total: 5 });
  });

  it('customers with account, orders, invoices, shipments, activities and stock: same calls for N = 10 and 100', async () => {
    const ten = await callsFor(CUSTOMERS_WITH_EVERYTHING, 10);
    const hundred = await callsFor(CUSTOMERS_WITH_EVERYTHING, 100);
    expect(hundred).toEqual(ten);
  });
});
