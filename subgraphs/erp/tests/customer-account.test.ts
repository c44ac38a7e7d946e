import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeErpClient } from '../src/erp/FakeErpClient.js';
import type { ErpClientAccount } from '../src/erp/types.js';
import { createTestServer } from './createTestServer.js';
import { erpClient, erpInvoice, erpOrder, erpProduct } from './fixtures.js';

// The ERP's side of a customer, reached the way the gateway reaches it:
// `_entities` with the CRM id.

const ACCOUNT = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Customer {
        id
        account {
          accountNumber
          currency
          creditLimit {
            amount
            currency
          }
          balance {
            amount
            currency
          }
          availableCredit {
            amount
            currency
          }
          paymentTerms
          blocked
        }
      }
    }
  }
`;

type AccountData = {
  _entities: ({
    id: string;
    account: {
      accountNumber: string;
      currency: string;
      creditLimit: { amount: string; currency: string };
      balance: { amount: string; currency: string };
      availableCredit: { amount: string; currency: string };
      paymentTerms: string;
      blocked: boolean;
    } | null;
  } | null)[];
};

const refs = (clients: readonly { crm_contact_id: string }[]) =>
  clients.map((c) => ({ __typename: 'Customer', id: c.crm_contact_id }));

describe('customer account', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('maps the ERP client to an account with money in the client currency', async () => {
    const client = erpClient({
      currency: 'GBP',
      credit_limit: '10000.00',
      balance: '2500.50',
      payment_terms: 'NET30',
      blocked: true,
    });

    const result = await server.run<AccountData>(
      new FakeErpClient({ clients: [client] }),
      ACCOUNT,
      { r: refs([client]) },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        id: client.crm_contact_id,
        account: {
          accountNumber: client.client_number,
          currency: 'GBP',
          creditLimit: { amount: '10000.00', currency: 'GBP' },
          balance: { amount: '2500.50', currency: 'GBP' },
          availableCredit: { amount: '7499.50', currency: 'GBP' },
          paymentTerms: 'NET_30',
          blocked: true,
        },
      },
    ]);
  });

  it.each<[ErpClientAccount['payment_terms'], string]>([
    ['PREPAID', 'PREPAID'],
    ['NET15', 'NET_15'],
    ['NET30', 'NET_30'],
    ['NET60', 'NET_60'],
  ])('payment terms %s become %s', async (erpTerms, canonical) => {
    const client = erpClient({ payment_terms: erpTerms });

    const result = await server.run<AccountData>(
      new FakeErpClient({ clients: [client] }),
      ACCOUNT,
      { r: refs([client]) },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities[0]?.account?.paymentTerms).toBe(canonical);
  });

  it.each([
    // Where a float would drift (0.3 - 0.1 = 0.19999999999999998).
    ['0.30', '0.10', '0.20'],
    // Over the limit: negative.
    ['1000.00', '1250.75', '-250.75'],
    // Different precisions: scaled to the longer fraction.
    ['5000', '0.125', '4999.875'],
    // Beyond Number.MAX_SAFE_INTEGER.
    ['90071992547409930.00', '0.01', '90071992547409929.99'],
    ['0.00', '0.00', '0.00'],
  ])(
    'availableCredit is creditLimit − balance exactly: %s − %s = %s',
    async (limit, balance, expected) => {
      const client = erpClient({ credit_limit: limit, balance });

      const result = await server.run<AccountData>(
        new FakeErpClient({ clients: [client] }),
        ACCOUNT,
        { r: refs([client]) },
      );

      expect(result.errors).toBeUndefined();
      expect(result.data?._entities[0]?.account?.availableCredit).toEqual({
        amount: expected,
        currency: 'EUR',
      });
    },
  );

  it('a prospect the ERP does not know has no account and empty orders and invoices', async () => {
    const client = erpClient();
    const product = erpProduct();
    const order = erpOrder(client, [product]);
    const fake = new FakeErpClient({
      clients: [client],
      products: [product],
      orders: [order],
      invoices: [erpInvoice(order)],
    });
    const prospectId = `prospect-${Math.random().toString(36).slice(2)}`;

    const result = await server.run(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Customer {
              id
              account {
                accountNumber
              }
              orders(first: 2) {
                nodes {
                  id
                }
                edges {
                  cursor
                }
                pageInfo {
                  hasNextPage
                  hasPreviousPage
                  startCursor
                  endCursor
                }
              }
              invoices(first: 2) {
                nodes {
                  id
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
          }
        }
      `,
      { r: [{ __typename: 'Customer', id: prospectId }, ...refs([client])] },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        id: prospectId,
        account: null,
        orders: {
          nodes: [],
          edges: [],
          pageInfo: {
            hasNextPage: false,
            hasPreviousPage: false,
            startCursor: null,
            endCursor: null,
          },
        },
        invoices: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
      },
      {
        id: client.crm_contact_id,
        account: { accountNumber: client.client_number },
        orders: {
          nodes: [{ id: String(order.doc_id) }],
          edges: [{ cursor: expect.any(String) }],
          pageInfo: {
            hasNextPage: false,
            hasPreviousPage: false,
            startCursor: expect.any(String),
            endCursor: expect.any(String),
          },
        },
        invoices: {
          nodes: [{ id: expect.any(String) }],
          pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        },
      },
    ]);
    // The prospect is looked up with the known customer, and never asked for orders.
    expect(fake.callsTo('clientsByCrmId')).toEqual([[[prospectId, client.crm_contact_id]]]);
    expect(fake.callsTo('ordersOfClients')).toEqual([
      [[client.client_number], { limit: 2, afterKey: undefined, filter: { status: undefined } }],
    ]);
  });
});
