import { randomUUID } from 'node:crypto';

import { signWebhook, webhookHeaders } from '@bff/core';
import { deleteRedisKeys, postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Stock is the inventory system's fact: the inventory subgraph caches it (and
// the warehouse list) in the shared store, and the inventory system's signed
// stock.changed webhooks keep that cache fresh long before the TTL would.
// Everything goes through the whole stack: the sandbox sends real webhooks to
// the subgraph's /webhooks/inventory, and the sandboxes' counters say which
// queries reached the upstream. Once over the in-memory store, once over the
// machine's Redis (under a key prefix of this run's own, removed afterwards).

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_TOKEN = 'inventory-admin-token-for-tests';
const DEV_WEBHOOK_SECRET = 'dev-only-webhook-secret-0123456789abcdef';

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
  const postWebhook = (body: string, headers: Record<string, string>) =>
    fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const stockEvent = (sku: string) => {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      type: 'stock.changed',
      occurredAt: new Date().toISOString(),
      data: { item_code: sku },
    });
    return { id, body };
  };
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

  it('shows a stock change on the next query, long before the TTL, through the webhook', async () => {
    const sku = skus[1]!;
    const before = await onHandOf(sku);
    await stack.sandboxes.inventory.admin.setStock(sku, (await firstSiteOnHand(sku)) + 1_000);
    // The event is delivered and applied in the background: within moments, not 600 s.
    await expect.poll(() => onHandOf(sku), { timeout: 3_000, interval: 25 }).toBe(before + 1_000);
    expect(await onHandOf(sku)).toBe(await upstreamOnHand(sku));
  });

  it('refuses a webhook with a bad signature, or a timestamp outside the tolerance window, with its code', async () => {
    const { id, body } = stockEvent(skus[2]!);
    const forged = await postWebhook(
      body,
      webhookHeaders('not-the-secret-0123456789abcdef0', id, body),
    );
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );

    const unsigned = await postWebhook(body, {});
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );

    // Correctly signed, ten minutes ago: a replayed capture.
    const old = Math.floor(Date.now() / 1000) - 600;
    const stale = await postWebhook(body, {
      'webhook-id': id,
      'webhook-timestamp': String(old),
      'webhook-signature': signWebhook(DEV_WEBHOOK_SECRET, id, old, body),
    });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe(
      'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
    );
  });

  it('applies an event delivered twice (same id) once', async () => {
    const sku = skus[3]!;
    await onHandOf(sku);
    await stack.resetCounters();
    const { id, body } = stockEvent(sku);
    const first = await postWebhook(body, webhookHeaders(DEV_WEBHOOK_SECRET, id, body));
    const second = await postWebhook(body, webhookHeaders(DEV_WEBHOOK_SECRET, id, body));
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(await first.json()).toMatchObject({ id, accepted: true });
    expect(await second.json()).toMatchObject({ id, accepted: false, reason: 'duplicate' });
    // Applying re-reads the item from the WMS once: one call, not two.
    await expect.poll(inventoryCalls, { timeout: 3_000, interval: 25 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await inventoryCalls()).toBe(1);
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
