import { randomUUID } from 'node:crypto';

import { deleteRedisKeys, postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defineWebhookContract } from '../contract/webhookContract.js';

// Products are the ERP's reference data: the ERP subgraph caches them in its
// shared store (the one of placeOrder's idempotency keys), so a repeated
// product query does not reach the ERP while the cache is warm, and the ERP's
// signed product.changed webhooks keep that cache fresh long before its TTL
// would. Everything goes through the whole stack (the sandbox sends real
// webhooks to the subgraph's /webhooks/erp), and the sandboxes' counters say
// which queries reached the upstream. Once over the in-memory store, once
// over the machine's Redis (under a key prefix of this run's own, removed
// afterwards).

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const ADMIN_TOKEN = 'erp-admin-token-for-tests';

const PRODUCT = /* GraphQL */ `
  query Product($sku: ID!) {
    product(sku: $sku) {
      sku
      name
    }
  }
`;

const PRODUCT_PRICE = /* GraphQL */ `
  query ProductPrice($sku: ID!) {
    product(sku: $sku) {
      price {
        amount
      }
    }
  }
`;

interface Letter {
  id: string;
  kind: string;
  attempts: number;
  error: string;
  payload: { id: string; data: { sku: string } };
}

const stores = [
  { store: 'the in-memory store', storeUrl: undefined },
  { store: 'Redis', storeUrl: redisUrl },
];

describe.each(stores)('the ERP product cache over $store', ({ storeUrl }) => {
  let skus: string[];
  let stack: Stack;
  let webhookUrl: string;
  let adminUrl: string;
  const prefix = `test:${randomUUID()}:`;
  // A roomy store deadline: a slower answer reads as a miss, right but counted as an ERP call here.
  const storeEnv: Record<string, string> = storeUrl
    ? { REDIS_URL: storeUrl, REDIS_KEY_PREFIX: prefix, REDIS_TIMEOUT_MS: '1000' }
    : {};

  beforeAll(async () => {
    stack = await startStack({
      subgraphEnv: {
        ...storeEnv,
        // Long: whatever changes within the test is the events' doing.
        PRODUCT_CACHE_TTL_SECONDS: '600',
        ADMIN_TOKEN,
        JOB_MAX_ATTEMPTS: '2',
        JOB_RETRY_BASE_MS: '20',
        // The dead-letter test fails the ERP on purpose: no retries, no open circuit afterwards.
        UPSTREAM_RETRIES: '0',
        UPSTREAM_BREAKER_FAILURES: '1000',
      },
    });
    const { data } = await stack.sandboxes.erp.reader.get<{ data: { sku: string }[] }>(
      '/products?limit=10',
    );
    // One product per scenario, so that no scenario warms another's cache.
    skus = data.map((p) => p.sku);
    expect(skus.length).toBeGreaterThanOrEqual(8);
    const base = stack.subgraphs.erp.url.replace(/\/graphql$/, '');
    webhookUrl = `${base}/webhooks/erp`;
    adminUrl = `${base}/admin`;
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
  const priceOf = async (sku: string) => {
    const result = await postGraphQL<{ product: { price: { amount: string } } }>(
      stack.gatewayUrl,
      { query: PRODUCT_PRICE, variables: { sku } },
      stack.fullAccess,
    );
    expect(result.body.errors).toBeUndefined();
    return result.body.data!.product.price.amount;
  };
  const erpPriceOf = async (sku: string) =>
    (await stack.sandboxes.erp.reader.get<{ list_price: string }>(`/products/${sku}`)).list_price;
  /** A price the product does not have: a cent more. */
  const newPrice = (price: string) => (Math.round(Number(price) * 100 + 1) / 100).toFixed(2);
  const admin = (path: string, init: RequestInit = {}, token: string | null = ADMIN_TOKEN) =>
    fetch(`${adminUrl}${path}`, {
      ...init,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const deadLetters = async () =>
    ((await (await admin('/dead-letters')).json()) as { deadLetters: Letter[] }).deadLetters;

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

  defineWebhookContract({
    webhookUrl: () => webhookUrl,
    type: 'product.changed',
    dataOf: (sku) => ({ sku, changed: ['list_price'] }),
    entities: () => ({ duplicate: skus[5]!, refusals: skus[6]! }),
    warm: (sku) => priceOf(sku),
    resetCounters: () => stack.resetCounters(),
    upstreamCalls: erpCalls,
  });

  it('shows a price change in the ERP on the next query, long before the TTL, through the webhook', async () => {
    const sku = skus[4]!;
    const before = await priceOf(sku);
    expect(before).toBe(await erpPriceOf(sku));
    const changed = newPrice(before);
    await stack.sandboxes.erp.admin.updateProduct(sku, { list_price: changed });
    // Delivered and applied in the background: within moments, not 600 s.
    await expect.poll(() => priceOf(sku), { timeout: 3_000, interval: 25 }).toBe(changed);
    // Applying re-read and cached it: the query after needs no ERP call.
    await stack.resetCounters();
    expect(await priceOf(sku)).toBe(changed);
    expect(await erpCalls()).toBe(0);
  });

  it('dead-letters a product event it could not apply; an operator lists, replays and discards', async () => {
    const sku = skus[7]!;
    await priceOf(sku);
    const erp = stack.sandboxes.erp.admin;
    await erp.setFaults({ status: 503, routes: ['POST /products/batch-get', 'GET /products'] });
    try {
      const changed = newPrice(await erpPriceOf(sku));
      await erp.updateProduct(sku, { list_price: changed });
      let letter: Letter | undefined;
      await expect
        .poll(
          async () => (letter = (await deadLetters()).find((l) => l.payload.data.sku === sku)),
          { timeout: 5_000, interval: 50 },
        )
        .toBeDefined();
      expect(letter).toMatchObject({ kind: 'webhook.product.changed', attempts: 2 });
      expect(letter!.error).toMatch(/^UPSTREAM_/);
      // Dropped before the failed read: queries go to the ERP, never to the old price.
      await erp.clearFaults();
      expect(await priceOf(sku)).toBe(changed);

      // The operator's token is required.
      expect((await admin('/dead-letters', {}, null)).status).toBe(401);
      const one = await admin(`/dead-letters/${letter!.id}`);
      expect(await one.json()).toMatchObject({ id: letter!.id, kind: 'webhook.product.changed' });

      // A replay that fails keeps the letter, with one more attempt.
      await erp.setFaults({ status: 503, routes: ['POST /products/batch-get', 'GET /products'] });
      const failed = await admin(`/dead-letters/${letter!.id}/replay`, { method: 'POST' });
      expect(failed.status).toBe(503);
      expect(await failed.json()).toMatchObject({ error: { code: 'UPSTREAM_UNAVAILABLE' } });
      expect((await deadLetters()).find((l) => l.id === letter!.id)?.attempts).toBe(3);

      await erp.clearFaults();
      const replay = await admin(`/dead-letters/${letter!.id}/replay`, { method: 'POST' });
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ id: letter!.id, replayed: true });
      expect((await deadLetters()).find((l) => l.id === letter!.id)).toBeUndefined();
      // The replay cached the product: the next query needs no ERP call.
      await stack.resetCounters();
      expect(await priceOf(sku)).toBe(changed);
      expect(await erpCalls()).toBe(0);
      // Gone is gone: replaying or discarding it again is a 404.
      expect((await admin(`/dead-letters/${letter!.id}/replay`, { method: 'POST' })).status).toBe(
        404,
      );
      expect((await admin(`/dead-letters/${letter!.id}`, { method: 'DELETE' })).status).toBe(404);
    } finally {
      await erp.clearFaults();
    }
  });

  it("counts webhooks, job attempts and dead letters on the subgraph's /metrics", async () => {
    const text = await (await fetch(adminUrl.replace(/\/admin$/, '/metrics'))).text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(series));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };
    // What the tests above did: a duplicate, a refused signature, dead letters.
    expect(value('webhook_events_total{type="product.changed",outcome="accepted"')).toBeGreaterThan(
      0,
    );
    expect(
      value('webhook_events_total{type="product.changed",outcome="duplicate"'),
    ).toBeGreaterThanOrEqual(1);
    expect(value('webhook_events_total{type="unknown",outcome="refused"')).toBeGreaterThanOrEqual(
      2,
    );
    expect(value('webhook_events_total{type="other",outcome="ignored"')).toBeGreaterThanOrEqual(1);
    expect(
      value('background_job_attempts_total{kind="webhook.product.changed",outcome="ok"'),
    ).toBeGreaterThan(0);
    expect(
      value('background_job_attempts_total{kind="webhook.product.changed",outcome="failed"'),
    ).toBeGreaterThanOrEqual(2);
    expect(
      value('background_jobs_dead_lettered_total{kind="webhook.product.changed"'),
    ).toBeGreaterThanOrEqual(1);
  });
});
