import { randomUUID } from 'node:crypto';

import { deleteRedisKeys, postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defineWebhookContract } from '../contract/webhookContract.js';

// Stock is the inventory system's fact: the inventory subgraph caches it (and
// the warehouse list) in the shared store, and the inventory system's signed
// stock.changed webhooks keep that cache fresh long before the TTL would.
// Everything goes through the whole stack: the sandbox sends real webhooks to
// the subgraph's /webhooks/inventory, and the sandboxes' counters say which
// queries reached the upstream. Once over the in-memory store, once over the
// machine's Redis (under a key prefix of this run's own, removed afterwards).

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_TOKEN = 'inventory-admin-token-for-tests';

const PRODUCT_STOCK = /* GraphQL */ `
  query ProductStock($sku: ID!) {
    product(sku: $sku) {
      sku
      stock {
        onHand
      }
    }
  }
`;

interface Letter {
  id: string;
  kind: string;
  attempts: number;
  payload: { id: string; data: { item_code: string } };
}

describe.each([
  ['the in-memory store', undefined],
  ['Redis', redisUrl],
])('stock events and caches over %s', (_name, storeUrl) => {
  const prefix = `test:${randomUUID()}:`;
  let stack: Stack;
  let skus: string[];
  let webhookUrl: string;
  let adminUrl: string;

  beforeAll(async () => {
    stack = await startStack({
      subgraphEnv: {
        // A roomy deadline: a store too slow for the default reads as a miss, which is right but would count as an upstream call here.
        ...(storeUrl
          ? { REDIS_URL: storeUrl, REDIS_KEY_PREFIX: prefix, REDIS_TIMEOUT_MS: '1000' }
          : {}),
        ADMIN_TOKEN,
        // Long TTLs: whatever changes within the test is the events' doing.
        STOCK_CACHE_TTL_SECONDS: '600',
        WAREHOUSES_CACHE_TTL_SECONDS: '600',
        JOB_MAX_ATTEMPTS: '2',
        JOB_RETRY_BASE_MS: '20',
        // The dead-letter test fails the WMS on purpose: no open circuit afterwards.
        UPSTREAM_RETRIES: '0',
        UPSTREAM_BREAKER_FAILURES: '1000',
      },
    });
    const base = stack.subgraphs.inventory.url.replace(/\/graphql$/, '');
    webhookUrl = `${base}/webhooks/inventory`;
    adminUrl = `${base}/admin`;
    // Items the WMS stocks, one per scenario, so that no scenario warms another's cache.
    const { data } = await stack.sandboxes.erp.reader.get<{ data: { sku: string }[] }>(
      '/products?limit=40',
    );
    const { results } = await stack.sandboxes.inventory.reader.post<{
      results: { item_code: string; levels: unknown[] }[];
    }>('/stock/batch-get', { item_codes: data.map((p) => p.sku) });
    skus = results.filter((r) => r.levels.length > 0).map((r) => r.item_code);
    expect(skus.length).toBeGreaterThanOrEqual(5);
  });

  afterAll(async () => {
    await stack?.close();
    if (storeUrl) await deleteRedisKeys(storeUrl, prefix);
  });

  const onHandOf = async (sku: string) => {
    const result = await postGraphQL<{ product: { stock: { onHand: number } } }>(
      stack.gatewayUrl,
      { query: PRODUCT_STOCK, variables: { sku } },
      stack.fullAccess,
    );
    expect(result.body.errors).toBeUndefined();
    return result.body.data!.product.stock.onHand;
  };
  const inventoryCalls = async () => (await stack.upstreamCalls({ excludeTokens: true })).inventory;
  const upstreamOnHand = async (sku: string) => {
    const { levels } = await stack.sandboxes.inventory.reader.get<{
      levels: { qty_on_hand: number }[];
    }>(`/stock/${encodeURIComponent(sku)}`);
    return levels.reduce((sum, l) => sum + l.qty_on_hand, 0);
  };
  const firstSiteOnHand = async (sku: string) =>
    (
      await stack.sandboxes.inventory.reader.get<{ levels: { qty_on_hand: number }[] }>(
        `/stock/${encodeURIComponent(sku)}`,
      )
    ).levels[0]!.qty_on_hand;
  const admin = (path: string, init: RequestInit = {}, token: string | null = ADMIN_TOKEN) =>
    fetch(`${adminUrl}${path}`, {
      ...init,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('serves a repeated stock query and the warehouses from the cache: no upstream call while it is warm', async () => {
    const sku = skus[0]!;
    await onHandOf(sku);
    await postGraphQL(stack.gatewayUrl, { query: '{ warehouses { id } }' }, stack.fullAccess);
    await stack.resetCounters();
    expect(await onHandOf(sku)).toBe(await upstreamOnHand(sku));
    await postGraphQL(stack.gatewayUrl, { query: '{ warehouses { id } }' }, stack.fullAccess);
    await stack.resetCounters(); // the reader above called the WMS itself
    await onHandOf(sku);
    expect(await inventoryCalls()).toBe(0);
  });

  defineWebhookContract({
    webhookUrl: () => webhookUrl,
    type: 'stock.changed',
    dataOf: (sku) => ({ item_code: sku }),
    entities: () => ({ duplicate: skus[3]!, refusals: skus[2]! }),
    warm: (sku) => onHandOf(sku),
    resetCounters: () => stack.resetCounters(),
    upstreamCalls: inventoryCalls,
  });

  it('shows a stock change on the next query, long before the TTL, through the webhook', async () => {
    const sku = skus[1]!;
    const before = await onHandOf(sku);
    await stack.sandboxes.inventory.admin.setStock(sku, (await firstSiteOnHand(sku)) + 1_000);
    // The event is delivered and applied in the background: within moments, not 600 s.
    await expect.poll(() => onHandOf(sku), { timeout: 3_000, interval: 25 }).toBe(before + 1_000);
    expect(await onHandOf(sku)).toBe(await upstreamOnHand(sku));
  });

  it('dead-letters an event it could not apply, and a replay by an operator applies it', async () => {
    const sku = skus[4]!;
    await onHandOf(sku);
    const inventory = stack.sandboxes.inventory.admin;
    await inventory.setFaults({ status: 503, routes: ['POST /stock/batch-get'] });
    try {
      await inventory.setStock(sku, (await firstSiteOnHand(sku)) + 7);
      let letter: Letter | undefined;
      await expect
        .poll(
          async () => {
            const answer = await admin('/dead-letters');
            const { deadLetters } = (await answer.json()) as { deadLetters: Letter[] };
            letter = deadLetters.find((l) => l.payload.data.item_code === sku);
            return letter;
          },
          { timeout: 5_000, interval: 50 },
        )
        .toBeDefined();
      expect(letter).toMatchObject({ kind: 'webhook.stock.changed', attempts: 2 });

      // Refused without the operator's token.
      expect((await admin('/dead-letters', {}, null)).status).toBe(401);
      const wrong = await admin(
        `/dead-letters/${letter!.id}/replay`,
        { method: 'POST' },
        'x'.repeat(31),
      );
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe(
        'UNAUTHENTICATED',
      );

      await inventory.clearFaults();
      const replay = await admin(`/dead-letters/${letter!.id}/replay`, { method: 'POST' });
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ id: letter!.id, replayed: true });
      const { deadLetters } = (await (await admin('/dead-letters')).json()) as {
        deadLetters: Letter[];
      };
      expect(deadLetters.find((l) => l.id === letter!.id)).toBeUndefined();

      // The replay cached the item's new stock: the next query needs no upstream call.
      const expected = await upstreamOnHand(sku);
      await stack.resetCounters();
      expect(await onHandOf(sku)).toBe(expected);
      expect(await inventoryCalls()).toBe(0);
    } finally {
      await inventory.clearFaults();
    }
  });
});
