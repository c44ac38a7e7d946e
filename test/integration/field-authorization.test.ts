import { byDocumentId, postGraphQL, startStack, writeCommittedManifests } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expandPattern, withNulls } from './support/responsePaths.js';
import type { PathPattern, ResponsePath } from './support/responsePaths.js';

// Field-level authorization through the real gateway and subgraphs: every
// consumer class against operations that mix public and protected fields.
// Each row says which fields are refused (as path patterns, made concrete
// against what a full-access caller gets) and, where a refused field is
// non-null, where the null lands. The expected data is the full-access
// answer with those nulls; the expected errors are exactly those paths.

type ConsumerName = 'anonymous' | 'authenticated' | 'authenticatedPii' | 'partner' | 'internal';

interface Outcome {
  /** Refused fields: one UNAUTHORIZED_FIELD_OR_TYPE error at each path. */
  refused: PathPattern[];
  /** Where nulls land, when not at the refused fields themselves (null propagation). */
  nulls?: PathPattern[];
}

interface Case {
  name: string;
  query: string;
  variables?: (ids: Ids) => Record<string, unknown>;
  /** The same selections with `__typename` where patterns filter by type. */
  probe?: string;
  expect: Record<ConsumerName, Outcome>;
}

interface Ids {
  /** A customer with calls and emails among their latest activities, and orders and invoices among their documents. */
  customer: string;
}

const allowed: Outcome = { refused: [] };
const everyCustomer = ['customers', 'nodes', '*'];
/** Email and phone of every customer: what a caller without crm:pii is refused. */
const customerPii: Outcome = {
  refused: [
    [...everyCustomer, 'email'],
    [...everyCustomer, 'phone'],
  ],
};
const activities = ['customer', 'activities', 'nodes'];
/** The number a call dialled and the address an email went to. */
const activityPii: Outcome = {
  refused: [
    [...activities, '*:Call', 'phoneNumber'],
    [...activities, '*:Email', 'toAddress'],
  ],
};

/** Every interface case expects the same: only the calls' and emails' PII is refused. */
const activityOutcomes: Case['expect'] = {
  anonymous: { refused: [['customer']] },
  authenticated: activityPii,
  authenticatedPii: allowed,
  partner: activityPii,
  internal: allowed,
};

/** The same operation, with `__typename` asked where the patterns filter by type. */
function withTypename(query: string, at: string): string {
  return query.replace(`${at} {`, `${at} { __typename`);
}

const ACTIVITIES_WITHOUT_TYPENAME = /* GraphQL */ `
  query Activities($id: ID!) {
    customer(id: $id) {
      activities(first: 12) {
        nodes {
          subject
          ... on Call {
            phoneNumber
          }
          ... on Email {
            toAddress
          }
        }
      }
    }
  }
`;

const DOCUMENTS = /* GraphQL */ `
  query Documents($id: ID!) {
    customer(id: $id) {
      recentDocuments(limit: 12) {
        ... on Order {
          number
        }
        ... on Invoice {
          order {
            number
          }
        }
      }
    }
  }
`;

const CONTACTS = /* GraphQL */ `
  query Contacts($withContact: Boolean!) {
    customers(first: 2) {
      nodes {
        name
        email @include(if: $withContact)
        company @skip(if: $withContact)
        ... @include(if: $withContact) {
          phone
        }
      }
    }
  }
`;

const cases: Case[] = [
  {
    name: 'public and PII fields of customers',
    query: '{ customers(first: 3) { nodes { id name email phone } } }',
    expect: {
      // customers is @authenticated and non-null: the null reaches the data.
      anonymous: { refused: [['customers']], nulls: [[]] },
      authenticated: customerPii,
      authenticatedPii: allowed,
      partner: customerPii,
      internal: allowed,
    },
  },
  {
    name: 'aliases, the same field twice',
    query: '{ people: customers(first: 2) { nodes { who: name contact: email again: email } } }',
    expect: {
      anonymous: { refused: [['people']], nulls: [[]] },
      authenticated: {
        refused: [
          ['people', 'nodes', '*', 'contact'],
          ['people', 'nodes', '*', 'again'],
        ],
      },
      authenticatedPii: allowed,
      partner: {
        refused: [
          ['people', 'nodes', '*', 'contact'],
          ['people', 'nodes', '*', 'again'],
        ],
      },
      internal: allowed,
    },
  },
  {
    name: 'named fragments, nested, across subgraphs',
    query: /* GraphQL */ `
      query Named {
        customers(first: 3) {
          nodes {
            ...Profile
          }
        }
      }
      fragment Profile on Customer {
        name
        ...Pii
        account {
          ...Balance
        }
      }
      fragment Pii on Customer {
        email
      }
      fragment Balance on CustomerAccount {
        balance {
          amount
          currency
        }
      }
    `,
    expect: {
      anonymous: { refused: [['customers']], nulls: [[]] },
      authenticated: {
        refused: [
          [...everyCustomer, 'email'],
          [...everyCustomer, 'account'],
        ],
      },
      authenticatedPii: { refused: [[...everyCustomer, 'account']] },
      partner: { refused: [[...everyCustomer, 'email']] },
      internal: allowed,
    },
  },
  {
    name: 'an interface: protected fields of some implementations, __typename asked',
    query: /* GraphQL */ `
      query Activities($id: ID!) {
        customer(id: $id) {
          activities(first: 12) {
            nodes {
              __typename
              subject
              ... on Call {
                phoneNumber
                durationMinutes
              }
              ... on Email {
                toAddress
              }
              ... on Meeting {
                location
              }
            }
          }
        }
      }
    `,
    variables: (ids) => ({ id: ids.customer }),
    expect: activityOutcomes,
  },
  {
    name: 'an interface, __typename not asked: the one the gateway adds is not returned',
    query: ACTIVITIES_WITHOUT_TYPENAME,
    probe: withTypename(ACTIVITIES_WITHOUT_TYPENAME, 'nodes'),
    variables: (ids) => ({ id: ids.customer }),
    expect: activityOutcomes,
  },
  {
    name: 'a union: a fragment on a type the caller may not read',
    query: DOCUMENTS,
    probe: withTypename(DOCUMENTS, 'recentDocuments(limit: 12)'),
    variables: (ids) => ({ id: ids.customer }),
    expect: {
      anonymous: { refused: [['customer']] },
      authenticated: { refused: [['customer', 'recentDocuments', '*:Invoice', 'order']] },
      authenticatedPii: { refused: [['customer', 'recentDocuments', '*:Invoice', 'order']] },
      partner: allowed,
      internal: allowed,
    },
  },
  {
    name: 'a union: a refused non-null field nulls the list, with one error',
    query: /* GraphQL */ `
      query Documents($id: ID!) {
        customer(id: $id) {
          recentDocuments(limit: 12) {
            __typename
            ... on Order {
              number
            }
            ... on Invoice {
              number
            }
          }
        }
      }
    `,
    variables: (ids) => ({ id: ids.customer }),
    expect: {
      anonymous: { refused: [['customer']] },
      // Invoice.number is String! and the items are non-null: the null climbs
      // to the nullable list, and execution stops there, as graphql-js does.
      authenticated: {
        refused: [['customer', 'recentDocuments', 'first:Invoice', 'number']],
        nulls: [['customer', 'recentDocuments']],
      },
      authenticatedPii: {
        refused: [['customer', 'recentDocuments', 'first:Invoice', 'number']],
        nulls: [['customer', 'recentDocuments']],
      },
      partner: allowed,
      internal: allowed,
    },
  },
  {
    name: '@include with a variable that is true',
    query: CONTACTS,
    variables: () => ({ withContact: true }),
    expect: {
      anonymous: { refused: [['customers']], nulls: [[]] },
      authenticated: customerPii,
      authenticatedPii: allowed,
      partner: customerPii,
      internal: allowed,
    },
  },
  {
    name: 'the same operation with the variable false: nothing protected is asked',
    query: CONTACTS,
    variables: () => ({ withContact: false }),
    expect: {
      anonymous: { refused: [['customers']], nulls: [[]] },
      authenticated: allowed,
      authenticatedPii: allowed,
      partner: allowed,
      internal: allowed,
    },
  },
  {
    name: 'nested lists: unit cost of every line of every order',
    query: /* GraphQL */ `
      {
        orders(first: 3) {
          nodes {
            number
            lines {
              quantity
              product {
                name
                unitCost {
                  amount
                }
              }
            }
          }
        }
      }
    `,
    expect: {
      anonymous: { refused: [['orders']], nulls: [[]] },
      authenticated: { refused: [['orders', 'nodes', '*', 'lines', '*', 'product', 'unitCost']] },
      authenticatedPii: {
        refused: [['orders', 'nodes', '*', 'lines', '*', 'product', 'unitCost']],
      },
      partner: { refused: [['orders', 'nodes', '*', 'lines', '*', 'product', 'unitCost']] },
      internal: allowed,
    },
  },
  {
    name: 'a type-level requirement, reached through fields of other types',
    query: /* GraphQL */ `
      {
        orders(first: 3) {
          nodes {
            number
            invoice {
              number
            }
            customer {
              name
              invoices(first: 2) {
                nodes {
                  number
                }
              }
            }
          }
        }
      }
    `,
    expect: {
      anonymous: { refused: [['orders']], nulls: [[]] },
      authenticated: {
        refused: [
          ['orders', 'nodes', '*', 'invoice'],
          ['orders', 'nodes', '*', 'customer', 'invoices'],
        ],
      },
      authenticatedPii: {
        refused: [
          ['orders', 'nodes', '*', 'invoice'],
          ['orders', 'nodes', '*', 'customer', 'invoices'],
        ],
      },
      partner: allowed,
      internal: allowed,
    },
  },
  {
    name: 'public data stays public: anonymous reads the catalogue and stock',
    query: /* GraphQL */ `
      {
        warehouses {
          id
          name
        }
        products(first: 3) {
          nodes {
            sku
            name
            unitCost {
              amount
            }
            stock {
              available
            }
          }
        }
      }
    `,
    expect: {
      anonymous: { refused: [['products', 'nodes', '*', 'unitCost']] },
      authenticated: { refused: [['products', 'nodes', '*', 'unitCost']] },
      authenticatedPii: { refused: [['products', 'nodes', '*', 'unitCost']] },
      partner: { refused: [['products', 'nodes', '*', 'unitCost']] },
      internal: allowed,
    },
  },
];

const consumerNames: ConsumerName[] = [
  'anonymous',
  'authenticated',
  'authenticatedPii',
  'partner',
  'internal',
];

describe('field-level authorization, every consumer class', () => {
  let stack: Stack;
  let ids: Ids;
  const headers = {} as Record<ConsumerName, Record<string, string>>;

  // Partners run only registered operations: every case's is committed for this one.
  const manifests = writeCommittedManifests({ 'acme-logistics': cases.map((c) => c.query) });

  beforeAll(async () => {
    stack = await startStack({ gatewayEnv: { PERSISTED_OPERATIONS_DIR: manifests.dir } });
    const { credentials } = stack;
    const partnerKey = credentials.addApiKey('acme-logistics', ['finance:read']);
    headers.anonymous = {};
    headers.authenticated = await credentials.bearer({ sub: 'alice' });
    headers.authenticatedPii = await credentials.bearer({ sub: 'bob', scopes: ['crm:pii'] });
    headers.partner = { 'x-api-key': partnerKey.key };
    headers.internal = await credentials.bearer({
      sub: 'reporting-service',
      class: 'internal',
      scopes: ['crm:pii', 'finance:read', 'erp:cost'],
    });
    ids = { customer: await customerWithEverything(stack) };
    await untilAccepted(stack.gatewayUrl, headers.partner);
  });
  afterAll(async () => {
    await stack?.close();
    manifests.dispose();
  });

  describe.each(cases)('$name', (testCase) => {
    let fullAccess: Record<string, unknown>;
    let probe: Record<string, unknown>;

    beforeAll(async () => {
      const variables = testCase.variables?.(ids);
      const full = await postGraphQL(
        stack.gatewayUrl,
        { query: testCase.query, variables },
        stack.fullAccess,
      );
      expect(full.body.errors).toBeUndefined();
      fullAccess = full.body.data as Record<string, unknown>;
      probe = testCase.probe
        ? ((
            await postGraphQL(
              stack.gatewayUrl,
              { query: testCase.probe, variables },
              stack.fullAccess,
            )
          ).body.data as Record<string, unknown>)
        : fullAccess;
    });

    it.each(consumerNames)('as %s', async (consumer) => {
      const outcome = testCase.expect[consumer];
      const refusedPaths = outcome.refused.flatMap((pattern) =>
        expandPattern(probe as never, pattern),
      );
      const nullPaths = outcome.nulls
        ? outcome.nulls.flatMap((pattern) => expandPattern(probe as never, pattern))
        : refusedPaths;
      // A row that names a protected field must find one in the data, or it proves nothing.
      for (const pattern of outcome.refused) {
        expect(
          expandPattern(probe as never, pattern),
          `pattern ${pattern.join('.')}`,
        ).not.toHaveLength(0);
      }

      const variables = testCase.variables?.(ids);
      const result = await postGraphQL(
        stack.gatewayUrl,
        consumer === 'partner'
          ? { ...byDocumentId(testCase.query), variables }
          : { query: testCase.query, variables },
        headers[consumer],
      );

      expect(result.status).toBe(200);
      expect(result.body.data ?? null).toEqual(withNulls(fullAccess as never, nullPaths));
      const errors = result.body.errors ?? [];
      expect(sortPaths(errors.map((e) => e.path as ResponsePath))).toEqual(sortPaths(refusedPaths));
      for (const error of errors) {
        expect(error.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
        expect(error.message).toMatch(/^The caller may not read \w+\.\w+\.$/);
        // What was refused, never which scopes would have allowed it.
        expect(error.message).not.toMatch(/scope|crm:|finance:|erp:/);
        expect(error.extensions?.requestId).toBe(result.headers.get('x-request-id'));
      }
    });
  });
});

/** The API key file is re-read within a second or so of a change. */
async function untilAccepted(url: string, headers: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await postGraphQL(url, { query: '{ __typename }' }, headers)).status === 401) {
    if (Date.now() > deadline) throw new Error('the gateway did not pick up the new API key');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function sortPaths(paths: ResponsePath[]): string[] {
  return paths.map((p) => JSON.stringify(p)).sort();
}

/**
 * A customer whose latest activities include a call and an email, and whose
 * recent documents include an order and an invoice, found through the
 * gateway with full access: the rows above need each kind present.
 */
async function customerWithEverything(stack: Stack): Promise<string> {
  const result = await postGraphQL<{
    customers: {
      nodes: {
        id: string;
        activities: { nodes: { __typename: string }[] } | null;
        recentDocuments: { __typename: string }[] | null;
      }[];
    };
  }>(
    stack.gatewayUrl,
    {
      query: /* GraphQL */ `
        {
          customers(first: 100) {
            nodes {
              id
              activities(first: 12) {
                nodes {
                  __typename
                }
              }
              recentDocuments(limit: 12) {
                __typename
              }
            }
          }
        }
      `,
    },
    stack.fullAccess,
  );
  const found = result.body.data?.customers.nodes.find((customer) => {
    const activities = new Set(customer.activities?.nodes.map((a) => a.__typename));
    const documents = new Set(customer.recentDocuments?.map((d) => d.__typename));
    return (
      activities.has('Call') &&
      activities.has('Email') &&
      documents.has('Order') &&
      documents.has('Invoice')
    );
  });
  if (!found)
    throw new Error('the seeded world has no customer with calls, emails, orders and invoices');
  return found.id;
}
