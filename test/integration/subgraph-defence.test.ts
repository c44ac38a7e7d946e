import { devInternalIdentitySecret, InternalIdentitySigner } from '@bff/core';
import type { Consumer } from '@bff/core';
import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Defence in depth: a request that reaches a subgraph directly, past the
// gateway, gets no protected data unless it carries an identity the gateway
// signed. The subgraphs run with the development INTERNAL_IDENTITY_SECRET,
// as the gateway does.

const signer = new InternalIdentitySigner(devInternalIdentitySecret);
const consumer = (scopes: string[], cls: Consumer['class'] = 'authenticated'): Consumer => ({
  id: 'direct-caller',
  class: cls,
  scopes: new Set(scopes),
});
const identity = async (c: Consumer) => ({ 'x-consumer-identity': await signer.sign(c) });

describe('a request straight to a subgraph', () => {
  let stack: Stack;
  let customerId: string;
  let sku: string;
  beforeAll(async () => {
    stack = await startStack();
    const seed = await postGraphQL<{
      customers: { nodes: { id: string }[] };
      products: { nodes: { sku: string }[] };
    }>(
      stack.gatewayUrl,
      { query: '{ customers(first: 1) { nodes { id } } products(first: 1) { nodes { sku } } }' },
      stack.fullAccess,
    );
    customerId = seed.body.data?.customers.nodes[0]?.id as string;
    sku = seed.body.data?.products.nodes[0]?.sku as string;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const crm = (query: string, headers: Record<string, string> = {}, variables = {}) =>
    postGraphQL(stack.subgraphs.crm.url, { query, variables }, headers);
  const erp = (query: string, headers: Record<string, string> = {}, variables = {}) =>
    postGraphQL(stack.subgraphs.erp.url, { query, variables }, headers);
  const customerEntity = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Customer {
          name
          email
        }
      }
    }
  `;

  it('without an identity: an @authenticated root field is refused', async () => {
    const result = await crm('{ customers(first: 2) { nodes { name email } } }');
    expect(result.body.data).toBeNull();
    expect(result.body.errors).toMatchObject([
      {
        message: 'The caller may not read Query.customers.',
        path: ['customers'],
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ]);
  });

  it('without an identity: _entities gives the public fields and refuses the PII', async () => {
    const result = await crm(
      customerEntity,
      {},
      {
        representations: [{ __typename: 'Customer', id: customerId }],
      },
    );
    expect(result.body.data).toEqual({ _entities: [{ name: expect.any(String), email: null }] });
    expect(result.body.errors).toMatchObject([
      { path: ['_entities', 0, 'email'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } },
    ]);
  });

  it('without an identity: the ERP refuses unit cost and whole finance types', async () => {
    const result = await erp(
      /* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Product {
              name
              unitCost {
                amount
              }
            }
            ... on Customer {
              account {
                balance {
                  amount
                }
              }
            }
          }
        }
      `,
      {},
      {
        representations: [
          { __typename: 'Product', sku },
          { __typename: 'Customer', id: customerId },
        ],
      },
    );
    expect(result.body.data).toEqual({
      _entities: [{ name: expect.any(String), unitCost: null }, { account: null }],
    });
    expect(result.body.errors?.map((e) => [e.path, e.extensions?.code]).sort()).toEqual([
      [['_entities', 0, 'unitCost'], 'UNAUTHORIZED_FIELD_OR_TYPE'],
      [['_entities', 1, 'account'], 'UNAUTHORIZED_FIELD_OR_TYPE'],
    ]);
  });

  it('with a forged identity: a 401, and no data at all', async () => {
    const forged = new InternalIdentitySigner('not-the-gateway-secret-but-just-as-long');
    const result = await crm(
      customerEntity,
      { 'x-consumer-identity': await forged.sign(consumer(['crm:pii'])) },
      {
        representations: [{ __typename: 'Customer', id: customerId }],
      },
    );
    expect(result.status).toBe(401);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
  });

  it('with an expired identity: a 401', async () => {
    const stale = new InternalIdentitySigner(devInternalIdentitySecret, {
      now: () => Date.now() - 60 * 60_000,
    });
    const result = await crm('{ __typename }', {
      'x-consumer-identity': await stale.sign(consumer(['crm:pii'])),
    });
    expect(result.status).toBe(401);
    expect(result.body.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
  });

  it('with a signed identity: exactly what its scopes allow', async () => {
    const variables = { representations: [{ __typename: 'Customer', id: customerId }] };
    const without = await crm(customerEntity, await identity(consumer([])), variables);
    expect(without.body.data).toEqual({ _entities: [{ name: expect.any(String), email: null }] });
    expect(without.body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');

    const withPii = await crm(customerEntity, await identity(consumer(['crm:pii'])), variables);
    expect(withPii.body.errors).toBeUndefined();
    expect(withPii.body.data).toEqual({
      _entities: [{ name: expect.any(String), email: expect.stringContaining('@') }],
    });
  });

  it('a mutation without its write scope is refused and writes nothing', async () => {
    await stack.resetCounters();
    const result = await crm(
      /* GraphQL */ `
        mutation ($input: RecordActivityInput!) {
          recordActivity(input: $input) {
            id
          }
        }
      `,
      await identity(consumer(['crm:pii'])),
      { input: { customerId, type: 'NOTE', subject: 'should not be written' } },
    );
    expect(result.body.data).toBeNull();
    expect(result.body.errors).toMatchObject([
      { path: ['recordActivity'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } },
    ]);
    expect((await stack.upstreamCalls({ excludeTokens: true })).crm).toBe(0);
  });
});
