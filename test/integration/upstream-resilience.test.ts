import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// Issue 7: the upstream client retries, honours Retry-After, keeps to its
// deadline, breaks the circuit on a failing upstream, and a failing upstream
// costs only its own fields. Counts come from the sandboxes' own counters.

const DEADLINE_MS = 2_500;
/** What a call may take past its deadline: the subgraph, the gateway, the loopback. */
const MARGIN_MS = 500;

/** One GET /orders at the ERP. */
const ORDERS = '{ orders(first: 2) { nodes { number } } }';
/** One POST /products/batch-get at the ERP: a read, but a POST without an Idempotency-Key. */
const PRODUCT = '{ product(sku: "SKU-10001") { sku name } }';
const WAREHOUSES = '{ warehouses { id name } }';

async function routeCount(stack: Stack, upstream: 'erp' | 'crm' | 'inventory', route: string) {
  const { routes } = await stack.sandboxes[upstream].admin.counters();
  return routes[route] ?? 0;
}

/** Matches the host or `:port` of a service's URL anywhere in a response. */
function leaksAddressOf(url: string): RegExp {
  const { hostname, port } = new URL(url);
  return new RegExp(`${hostname.replace(/\./g, '\\.')}|:${port}\\b`);
}

describe('upstream resilience through the whole stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      subgraphEnv: {
        UPSTREAM_TIMEOUT_MS: String(DEADLINE_MS),
        UPSTREAM_RETRIES: '2',
        UPSTREAM_RETRY_BASE_MS: '20',
        UPSTREAM_RETRY_MAX_DELAY_MS: '100',
        // High enough that these tests' failures do not open a circuit; the
        // breaker has its own stack below.
        UPSTREAM_BREAKER_FAILURES: '50',
        // What the upstream does is the subject here: no cache of the inventory subgraph answering for it.
        REFERENCE_CACHE: 'off',
      },
    });
  });
  afterEach(async () => {
    await Promise.all(Object.values(stack.sandboxes).map((s) => s.admin.clearFaults()));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('retries a GET through two 503s and answers; the sandbox saw three calls', async () => {
    const route = 'GET /orders';
    const healthy = await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess);
    await stack.resetCounters();
    await stack.sandboxes.erp.admin.setFaults({ status: 503, times: 2, routes: [route] });
    const result = await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data).toEqual(healthy.body.data);
    expect(await routeCount(stack, 'erp', route)).toBe(3);
  });

  it('gives up after three attempts with UPSTREAM_UNAVAILABLE at the field, and no address', async () => {
    const route = 'GET /orders';
    await stack.resetCounters();
    await stack.sandboxes.erp.admin.setFaults({ status: 502, routes: [route] });
    const result = await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess);
    expect(result.status).toBe(200);
    expect(result.body.data).toBeNull();
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        path: ['orders'],
        extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'erp' }),
      }),
    ]);
    expect(await routeCount(stack, 'erp', route)).toBe(3);
    expect(JSON.stringify(result.body)).not.toMatch(leaksAddressOf(stack.sandboxes.erp.url));
  });

  it('retries a batch read, a POST that changes nothing, up to the retry budget (a POST that writes without an Idempotency-Key is never repeated: rest-client-retries.test.ts)', async () => {
    const route = 'POST /products/batch-get';
    await stack.resetCounters();
    await stack.sandboxes.erp.admin.setFaults({ status: 503, routes: [route] });
    const result = await postGraphQL(stack.gatewayUrl, { query: PRODUCT }, stack.fullAccess);
    expect(result.body.data).toEqual({ product: null });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    // One attempt and UPSTREAM_RETRIES (2) more.
    expect(await routeCount(stack, 'erp', route)).toBe(3);
  });

  it("waits a 429's Retry-After, then answers", async () => {
    const route = 'GET /sites';
    await stack.resetCounters();
    await stack.sandboxes.inventory.admin.setFaults({
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
      routes: [route],
    });
    const started = performance.now();
    const result = await postGraphQL(stack.gatewayUrl, { query: WAREHOUSES }, stack.fullAccess);
    const elapsed = performance.now() - started;
    expect(result.body.errors).toBeUndefined();
    expect((result.body.data as { warehouses: unknown[] }).warehouses.length).toBeGreaterThan(0);
    expect(await routeCount(stack, 'inventory', route)).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(DEADLINE_MS);
  });

  it('does not wait a Retry-After past the deadline: UPSTREAM_RATE_LIMITED at once, with the wait', async () => {
    const route = 'GET /sites';
    await stack.resetCounters();
    await stack.sandboxes.inventory.admin.setFaults({
      status: 429,
      retryAfterSeconds: 30,
      routes: [route],
    });
    const started = performance.now();
    const result = await postGraphQL(stack.gatewayUrl, { query: WAREHOUSES }, stack.fullAccess);
    expect(performance.now() - started).toBeLessThan(MARGIN_MS);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        path: ['warehouses'],
        extensions: expect.objectContaining({
          code: 'UPSTREAM_RATE_LIMITED',
          upstream: 'inventory',
          retryAfterSeconds: 30,
        }),
      }),
    ]);
    expect(await routeCount(stack, 'inventory', route)).toBe(1);
  });

  it('latency past the deadline is UPSTREAM_TIMEOUT within the deadline and a small margin', async () => {
    const route = 'GET /sites';
    await stack.resetCounters();
    await stack.sandboxes.inventory.admin.setFaults({ latencyMs: 10_000, routes: [route] });
    const started = performance.now();
    const result = await postGraphQL(stack.gatewayUrl, { query: WAREHOUSES }, stack.fullAccess);
    const elapsed = performance.now() - started;
    expect(result.status).toBe(200);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        path: ['warehouses'],
        extensions: expect.objectContaining({ code: 'UPSTREAM_TIMEOUT', upstream: 'inventory' }),
      }),
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
    expect(elapsed).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    // The deadline covers the whole call: no retry was started after it.
    expect(await routeCount(stack, 'inventory', route)).toBe(1);
  });

  it('with the CRM down, customers with ERP account and orders: 200, ERP data whole, CRM fields null at their paths', async () => {
    const query = /* GraphQL */ `
      {
        orders(first: 3) {
          nodes {
            number
            total {
              amount
              currency
            }
            customer {
              id
              name
              email
              account {
                accountNumber
                balance {
                  amount
                  currency
                }
              }
              orders(first: 2) {
                nodes {
                  number
                }
              }
            }
          }
        }
      }
    `;
    type Data = {
      orders: { nodes: { customer: Record<string, unknown> }[] };
    };
    const healthy = await postGraphQL<Data>(stack.gatewayUrl, { query }, stack.fullAccess);
    expect(healthy.body.errors).toBeUndefined();

    await stack.sandboxes.crm.admin.setFaults({ down: true });
    const result = await postGraphQL<Data>(stack.gatewayUrl, { query }, stack.fullAccess);
    expect(result.status).toBe(200);

    const expected = structuredClone(healthy.body.data!);
    for (const order of expected.orders.nodes) {
      order.customer.name = null;
      order.customer.email = null;
    }
    expect(result.body.data).toEqual(expected);
    // The CRM resolves a customer's fields in one reference lookup, so its
    // failure is reported once per customer, at the customer's path.
    expect(result.body.errors?.map((e) => e.path)).toEqual(
      expected.orders.nodes.map((_, i) => ['orders', 'nodes', i, 'customer']),
    );
    for (const error of result.body.errors ?? []) {
      expect(error.message).toBe('The CRM system is unavailable.');
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'crm' });
    }
    expect(JSON.stringify(result.body)).not.toMatch(leaksAddressOf(stack.sandboxes.crm.url));
  });
});

describe('the circuit breaker through the whole stack', () => {
  const OPEN_MS = 1_000;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      subgraphEnv: {
        UPSTREAM_TIMEOUT_MS: String(DEADLINE_MS),
        // One call, one attempt: the counts below are the breaker's alone.
        UPSTREAM_RETRIES: '0',
        UPSTREAM_BREAKER_FAILURES: '5',
        UPSTREAM_BREAKER_WINDOW_MS: '60000',
        UPSTREAM_BREAKER_OPEN_MS: String(OPEN_MS),
      },
    });
  });
  afterAll(async () => {
    await stack?.sandboxes.erp.admin.clearFaults();
    await stack?.close();
  });

  it('opens after 5 failures (calls stop reaching the ERP), then closes after the open period', async () => {
    const route = 'GET /orders';
    const healthy = await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess);

    // 4xx answers are the upstream up and talking: they do not open it.
    await stack.resetCounters();
    await stack.sandboxes.erp.admin.setFaults({ status: 429, routes: [route] });
    for (let i = 0; i < 6; i++) {
      await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess);
    }
    expect(await routeCount(stack, 'erp', route)).toBe(6);

    await stack.resetCounters();
    await stack.sandboxes.erp.admin.setFaults({ status: 500, routes: [route] });
    for (let i = 0; i < 5; i++) {
      await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess);
    }
    expect(await routeCount(stack, 'erp', route)).toBe(5);

    const started = performance.now();
    const failedFast = await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess);
    expect(performance.now() - started).toBeLessThan(MARGIN_MS);
    expect(failedFast.body.errors?.[0]).toMatchObject({
      path: ['orders'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'erp' },
    });
    expect(await routeCount(stack, 'erp', route)).toBe(5);

    // Other ERP routes fail fast too: the circuit is the upstream's.
    const product = await postGraphQL(stack.gatewayUrl, { query: PRODUCT }, stack.fullAccess);
    expect(product.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(await stack.upstreamCalls({ excludeTokens: true })).toMatchObject({ erp: 5 });

    // The ERP recovers; after the open period one trial closes the circuit.
    await stack.sandboxes.erp.admin.clearFaults();
    await sleep(OPEN_MS + 100);
    const trial = await postGraphQL(stack.gatewayUrl, { query: ORDERS }, stack.fullAccess);
    expect(trial.body).toEqual(healthy.body);
    expect(await routeCount(stack, 'erp', route)).toBe(6);
    await postGraphQL(stack.gatewayUrl, { query: PRODUCT }, stack.fullAccess);
    expect(await stack.upstreamCalls({ excludeTokens: true })).toMatchObject({ erp: 7 });
  });
});
