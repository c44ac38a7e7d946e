import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const QUERY = /* GraphQL */ `
  {
    orders(first: 5) {
      nodes {
        number
        customer {
          name
        }
        lines {
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

describe('OAuth2 tokens to the upstreams', () => {
  let stack: Stack;
  beforeAll(async () => {
    // What the upstream does is the subject here: no cache of the inventory subgraph answering for it.
    stack = await startStack({ subgraphEnv: { REFERENCE_CACHE: 'off' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('are fetched once per upstream and cached across requests', async () => {
    await stack.resetCounters();
    await Promise.all(
      Array.from({ length: 5 }, () =>
        postGraphQL(stack.gatewayUrl, { query: QUERY }, stack.fullAccess),
      ),
    );
    await postGraphQL(stack.gatewayUrl, { query: QUERY }, stack.fullAccess);
    for (const sandbox of Object.values(stack.sandboxes)) {
      const { routes } = await sandbox.admin.counters();
      expect(routes['POST /oauth/token'] ?? 0).toBeLessThanOrEqual(1);
    }
  });

  it('are refreshed transparently when the upstream expires them, once for all concurrent callers', async () => {
    const before = await postGraphQL(stack.gatewayUrl, { query: QUERY }, stack.fullAccess);
    expect(before.body.errors).toBeUndefined();

    await stack.resetCounters();
    for (const sandbox of Object.values(stack.sandboxes)) {
      expect(await sandbox.admin.expireTokens()).toBeGreaterThan(0);
    }
    const after = await postGraphQL(stack.gatewayUrl, { query: QUERY }, stack.fullAccess);

    expect(after.status).toBe(200);
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data).toEqual(before.body.data);
    for (const sandbox of Object.values(stack.sandboxes)) {
      const { routes } = await sandbox.admin.counters();
      expect(routes['POST /oauth/token']).toBe(1);
    }
  });
});
