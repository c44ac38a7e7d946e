import { randomUUID } from 'node:crypto';

import { deleteRedisKeys, postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Products are the ERP's reference data: the ERP subgraph caches them in its
// shared store (the one of placeOrder's idempotency keys), so a repeated
// product query does not reach the ERP while the cache is warm. Everything
// goes through the whole stack, and the sandboxes' counters say which queries
// reached the upstream. Once over the in-memory store, once over the
// machine's Redis (under a key prefix of this run's own, removed afterwards).

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const PRODUCT = /* GraphQL */ `
  query Product($sku: ID!) {
    product(sku: $sku) {
      sku
      name
    }
  }
`;

const stores = [
  { store: 'the in-memory store', storeUrl: undefined },
  { store: 'Redis', storeUrl: redisUrl },
];

describe.each(stores)('the ERP product cache over $store', ({ storeUrl }) => {
  let skus: string[];
  let stack: Stack;
  const prefix = `test:${randomUUID()}:`;
  // A roomy store deadline: a slower answer reads as a miss, right but counted as an ERP call here.
  const storeEnv: Record<string, string> = storeUrl
    ? { REDIS_URL: storeUrl, REDIS_KEY_PREFIX: prefix, REDIS_TIMEOUT_MS: '1000' }
    : {};

  beforeAll(async () => {
    stack = await startStack({
      subgraphEnv: { ...storeEnv, PRODUCT_CACHE_TTL_SECONDS: '600' },
    });
    const { data } = await stack.sandboxes.erp.reader.get<{ data: { sku: string }[] }>(
      '/products?limit=10',
    );
    skus = data.map((p) => p.sku);
    expect(skus.length).toBeGreaterThanOrEqual(4);
  });

  afterAll(async () => {
    await stack?.close();
    if (storeUrl) await deleteRedisKeys(storeUrl, prefix);
  });

  const erpCalls = async () => (await stack.upstreamCalls({ excludeTokens: true })).erp;
  const nameOf = async (sku: string) => {
    const result = await postGraphQL<{ product: { sku: string; name: string } }>(
      stack.gatewayUrl,
      { query: PRODUCT, variables: { sku } },
      stack.fullAccess,
    );
    expect(result.body.errors).toBeUndefined();
    return result.body.data!.product.name;
  };

  it('serves a repeated product query from the cache: no ERP call while it is warm', async () => {
    const sku = skus[0]!;
    const name = await nameOf(sku);
    await stack.resetCounters();
    expect(await nameOf(sku)).toBe(name);
    expect(await nameOf(sku)).toBe(name);
    expect(await erpCalls()).toBe(0);
  });

  it('still batches the misses of one query into one ERP call', async () => {
    await nameOf(skus[1]!);
    await stack.resetCounters();
    const query = `{ ${skus
      .slice(1, 4)
      .map((sku, i) => `p${i}: product(sku: ${JSON.stringify(sku)}) { sku name }`)
      .join(' ')} }`;
    const result = await postGraphQL(stack.gatewayUrl, { query }, stack.fullAccess);
    expect(result.body.errors).toBeUndefined();
    // skus[1] was cached; skus[2] and skus[3] in one call.
    expect(await erpCalls()).toBe(1);
  });
});
