import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  deleteRedisKeys,
  getAvailablePort,
  postGraphQL,
  spawnNode,
  stackAdminToken,
  startStack,
  waitForOk,
} from '@bff/testing';
import type { Spawned, Stack } from '@bff/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// placeOrder end to end: gateway → ERP subgraph → the three sandboxes.

const PLACE = `mutation Place($input: PlaceOrderInput!, $key: String!) {
  placeOrder(input: $input, idempotencyKey: $key) {
    __typename
    ... on OrderPlaced { order { id number status } }
    ... on InsufficientStock { code lines { sku requested available } }
    ... on IdempotencyKeyReused { code }
  }
}`;

interface Client {
  client_number: string;
  crm_contact_id: string;
  credit_limit: string;
  balance: string;
  blocked: boolean;
}
interface Stock {
  qty_available: number;
  qty_allocated: number;
}
type PlaceResult = {
  placeOrder: {
    __typename: string;
    order?: { id: string; status: string };
    lines?: { sku: string; requested: number; available: number }[];
  } | null;
};

describe('placeOrder saga', () => {
  let stack: Stack;
  let headers: Record<string, string>;
  let customerId: string;
  let clientNumber: string;
  /** The unblocked client with the least credit left. */
  let poor: Client;
  let sku: string;
  /** A cheap item with less than 1000 available: ordering one more than it has is short. */
  let scarce: { sku: string; available: number; price: number };

  const allocated = async (item: string) => {
    const { levels } = await stack.sandboxes.inventory.reader.get<{ levels: Stock[] }>(
      `/stock/${item}`,
    );
    return levels.reduce((sum, l) => sum + l.qty_allocated, 0);
  };
  const calls = async (upstream: 'erp' | 'inventory' | 'crm', route: string) =>
    (await stack.sandboxes[upstream].admin.counters()).routes[route] ?? 0;
  const place = (key: string, quantity = 1, url = stack.gatewayUrl) =>
    postGraphQL<PlaceResult>(
      url,
      { query: PLACE, variables: { input: { customerId, lines: [{ sku, quantity }] }, key } },
      headers,
    );

  beforeAll(async () => {
    stack = await startStack({ subgraphEnv: { UPSTREAM_BREAKER_OPEN_MS: '100' } });
    headers = await stack.credentials.bearer({ sub: 'saga-test', scopes: ['orders:write'] });
    const clients = await stack.sandboxes.erp.reader.get<{ data: Client[] }>('/clients?limit=100');
    const headroom = (c: Client) => Number(c.credit_limit) - Number(c.balance);
    const rich = clients.data
      .filter((c) => !c.blocked)
      .sort((a, b) => headroom(b) - headroom(a))[0]!;
    customerId = rich.crm_contact_id;
    clientNumber = rich.client_number;
    const products = await stack.sandboxes.erp.reader.get<{
      data: { sku: string; list_price: string }[];
    }>('/products?limit=100');
    const candidates: { sku: string; available: number; price: number }[] = [];
    for (const p of products.data) {
      const stock = await stack.sandboxes.inventory.reader
        .get<{ levels: Stock[] }>(`/stock/${p.sku}`)
        .catch(() => ({ levels: [] as Stock[] }));
      const available = stock.levels.reduce((sum, l) => sum + l.qty_available, 0);
      candidates.push({ sku: p.sku, available, price: Number(p.list_price) });
    }
    sku = candidates.find((c) => c.available >= 100)!.sku;
    scarce = candidates
      .filter((c) => c.available > 0 && c.available < 1000 && c.sku !== sku)
      .sort((a, b) => a.price * (a.available + 1) - b.price * (b.available + 1))[0]!;
    // FX up to 1.085, tax up to 20 %: the scarce order stays within the rich client's credit.
    expect(scarce.price * (scarce.available + 1) * 1.4).toBeLessThan(headroom(rich));
    poor = clients.data
      .filter((c) => !c.blocked && headroom(c) >= 0)
      .sort((a, b) => headroom(a) - headroom(b))[0]!;
  }, 60_000);
  afterAll(() => stack?.close());
  afterEach(async () => {
    await Promise.all(Object.values(stack.sandboxes).map((s) => s.admin.clearFaults()));
    await stack.resetCounters();
  });

  it('50 concurrent calls with one key make one reservation and one order', async () => {
    await stack.resetCounters();
    const before = await allocated(sku);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 50 }, () => place(key, 2)));
    const ids = new Set(results.map((r) => r.body.data?.placeOrder?.order?.id));
    expect(results.every((r) => r.body.data?.placeOrder?.__typename === 'OrderPlaced')).toBe(true);
    expect(ids.size).toBe(1);
    expect(await calls('erp', 'POST /orders')).toBe(1);
    expect(await calls('inventory', 'POST /reservations')).toBe(1);
    expect((await allocated(sku)) - before).toBe(2);
    // Another input under the same key is refused.
    const reused = await place(key, 3);
    expect(reused.body.data?.placeOrder?.__typename).toBe('IdempotencyKeyReused');
  });

  it('an ERP failure after the reservation leaves no reservation and no order', async () => {
    const before = await allocated(sku);
    await stack.sandboxes.erp.admin.setFaults({ status: 500, routes: ['POST /orders'] });
    const result = await place(randomUUID());
    expect(result.body.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
    expect(await calls('inventory', 'POST /reservations')).toBe(1);
    expect(await calls('inventory', 'DELETE /reservations/:id')).toBeGreaterThanOrEqual(1);
    expect(await allocated(sku)).toBe(before);
  });

  it('insufficient stock names what was requested and what is available', async () => {
    const result = await postGraphQL<PlaceResult>(
      stack.gatewayUrl,
      {
        query: PLACE,
        variables: {
          input: { customerId, lines: [{ sku: scarce.sku, quantity: scarce.available + 1 }] },
          key: randomUUID(),
        },
      },
      headers,
    );
    expect(result.body.data?.placeOrder).toEqual({
      __typename: 'InsufficientStock',
      code: 'INSUFFICIENT_STOCK',
      lines: [{ sku: scarce.sku, requested: scarce.available + 1, available: scarce.available }],
    });
    expect(await calls('erp', 'POST /orders')).toBe(0);
  });

  it('refuses with a typed result what the ERP does not know or would not allow, reserving nothing', async () => {
    const REFUSALS = `mutation Place($input: PlaceOrderInput!, $key: String!) {
      placeOrder(input: $input, idempotencyKey: $key) {
        __typename
        ... on UnknownCustomer { code customerId }
        ... on UnknownProduct { code skus }
        ... on CreditLimitExceeded {
          code limit { amount currency } balance { amount currency } orderTotal { amount currency }
        }
      }
    }`;
    const attempt = (input: { customerId: string; lines: { sku: string; quantity: number }[] }) =>
      postGraphQL<{ placeOrder: Record<string, unknown> }>(
        stack.gatewayUrl,
        { query: REFUSALS, variables: { input, key: randomUUID() } },
        headers,
      );

    const stranger = await attempt({
      customerId: 'no-such-contact',
      lines: [{ sku, quantity: 1 }],
    });
    expect(stranger.body.data?.placeOrder).toEqual({
      __typename: 'UnknownCustomer',
      code: 'UNKNOWN_CUSTOMER',
      customerId: 'no-such-contact',
    });

    const unknown = await attempt({
      customerId,
      lines: [
        { sku, quantity: 1 },
        { sku: 'NO-SUCH-SKU', quantity: 1 },
      ],
    });
    expect(unknown.body.data?.placeOrder).toEqual({
      __typename: 'UnknownProduct',
      code: 'UNKNOWN_PRODUCT',
      skus: ['NO-SUCH-SKU'],
    });

    // The most the poor client could order of one line, priced by the ERP itself.
    const lines = [{ sku, quantity: 1000 }];
    const quote = await stack.sandboxes.erp.reader.post<{ gross_amount: string; currency: string }>(
      '/orders/quote',
      { client_number: poor.client_number, lines: [{ sku, qty: 1000 }] },
    );
    expect(Number(poor.balance) + Number(quote.gross_amount)).toBeGreaterThan(
      Number(poor.credit_limit),
    );
    const tooMuch = await attempt({ customerId: poor.crm_contact_id, lines });
    expect(tooMuch.body.data?.placeOrder).toEqual({
      __typename: 'CreditLimitExceeded',
      code: 'CREDIT_LIMIT_EXCEEDED',
      limit: { amount: poor.credit_limit, currency: quote.currency },
      balance: { amount: poor.balance, currency: quote.currency },
      orderTotal: { amount: quote.gross_amount, currency: quote.currency },
    });
    expect(await calls('inventory', 'POST /reservations')).toBe(0);
    expect(await calls('erp', 'POST /orders')).toBe(0);
  });

  it('refuses input out of range before anything is done, naming the argument', async () => {
    const bad = [
      { lines: [{ sku, quantity: 0 }], argument: 'input.lines[0].quantity' },
      { lines: [{ sku, quantity: 1001 }], argument: 'input.lines[0].quantity' },
      { lines: [], argument: 'input.lines' },
      { lines: Array.from({ length: 51 }, () => ({ sku, quantity: 1 })), argument: 'input.lines' },
    ];
    for (const { lines, argument } of bad) {
      const result = await postGraphQL<PlaceResult>(
        stack.gatewayUrl,
        { query: PLACE, variables: { input: { customerId, lines }, key: randomUUID() } },
        headers,
      );
      expect(result.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument,
      });
    }
    expect(await stack.upstreamCalls({ excludeTokens: true })).toMatchObject({ total: 0 });
  });

  it('an ERP that never answers the create keeps the stock, finishes the order in the background, and a retry gets it', async () => {
    const newestOrders = async () =>
      (
        await stack.sandboxes.erp.reader.get<{ data: { doc_id: number }[] }>(
          `/orders?client_number=${clientNumber}&limit=2`,
        )
      ).data.map((o) => String(o.doc_id));
    const [newestBefore] = await newestOrders();
    const before = await allocated(sku);
    // The ERP takes the order, but only after the subgraph's 3 s deadline: it never answered.
    await stack.sandboxes.erp.admin.setFaults({
      latencyMs: 3_500,
      routes: ['POST /orders'],
      times: 1,
    });
    const key = randomUUID();
    const first = await place(key, 2);
    expect(first.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(first.body.errors?.[0]?.message).toMatch(
      /may have\. Retry with the same idempotency key/,
    );
    // Not compensated: releasing the stock of an order that may exist would sell it twice.
    expect((await allocated(sku)) - before).toBe(2);

    // Finished forward in the background: a retry with the key answers the order.
    let id: string | undefined;
    await expect
      .poll(async () => (id = (await place(key, 2)).body.data?.placeOrder?.order?.id), {
        timeout: 5_000,
        interval: 100,
      })
      .toBeDefined();
    // Once the late create has landed too: one order, one reservation.
    await sleep(3_600);
    expect(await newestOrders()).toEqual([id, newestBefore]);
    expect((await allocated(sku)) - before).toBe(2);
    expect((await place(key, 2)).body.data?.placeOrder?.order?.id).toBe(id);
  });

  it('cancelOrder cancels the ERP order and releases its reservation, twice harmlessly', async () => {
    const before = await allocated(sku);
    const placed = await place(randomUUID(), 3);
    const id = placed.body.data?.placeOrder?.order?.id;
    expect(id).toBeDefined();
    expect((await allocated(sku)) - before).toBe(3);
    for (let i = 0; i < 2; i++) {
      const cancelled = await postGraphQL<{ cancelOrder: { id: string; status: string } }>(
        stack.gatewayUrl,
        { query: 'mutation C($id: ID!) { cancelOrder(id: $id) { id status } }', variables: { id } },
        headers,
      );
      expect(cancelled.body).toEqual({ data: { cancelOrder: { id, status: 'CANCELLED' } } });
    }
    expect(await allocated(sku)).toBe(before);
  });

  it('refuses without the orders:write scope', async () => {
    const reader = await stack.credentials.bearer({ sub: 'saga-test', scopes: [] });
    const result = await postGraphQL<PlaceResult>(
      stack.gatewayUrl,
      {
        query: PLACE,
        variables: { input: { customerId, lines: [{ sku, quantity: 1 }] }, key: 'k' },
      },
      reader,
    );
    expect(result.body.data?.placeOrder ?? null).toBeNull();
    expect(result.body.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|UNAUTHORIZED/);
  });

  it('a CRM outage still places the order; the activity is dead-lettered and replayed', async () => {
    await stack.sandboxes.crm.admin.setFaults({ status: 503, routes: ['POST /activities'] });
    const result = await place(randomUUID());
    expect(result.body.data?.placeOrder?.__typename).toBe('OrderPlaced');
    const adminBase = stack.subgraphs.erp.url.replace(/\/graphql$/, '');
    const auth = { authorization: `Bearer ${stackAdminToken}` };
    expect((await fetch(`${adminBase}/admin/dead-letters`)).status).toBe(401);
    let letters: { id: string; kind: string }[] = [];
    for (let i = 0; i < 100 && letters.length === 0; i++) {
      await sleep(50);
      const listed = await fetch(`${adminBase}/admin/dead-letters`, { headers: auth });
      letters = ((await listed.json()) as { deadLetters: typeof letters }).deadLetters;
    }
    expect(letters).toHaveLength(1);
    expect(letters[0]!.kind).toBe('crm.activity');
    await stack.sandboxes.crm.admin.clearFaults();
    await stack.resetCounters();
    await sleep(150); // the CRM client's circuit half-opens
    const replay = await fetch(
      `${adminBase}/admin/dead-letters/${encodeURIComponent(letters[0]!.id)}/replay`,
      { method: 'POST', headers: auth },
    );
    expect(replay.status).toBe(200);
    expect(await calls('crm', 'POST /activities')).toBe(1);
    const after = await fetch(`${adminBase}/admin/dead-letters`, { headers: auth });
    expect(((await after.json()) as { deadLetters: unknown[] }).deadLetters).toHaveLength(0);
  });

  it('an order cancelled in the ERP itself has its stock released; a repeat of placeOrder says it is cancelled', async () => {
    const before = await allocated(sku);
    const key = randomUUID();
    const placed = await place(key, 4);
    const id = placed.body.data!.placeOrder!.order!.id;
    expect((await allocated(sku)) - before).toBe(4);
    // Not through the graph: the ERP's own screens. Its order.status_changed event does the rest.
    await stack.sandboxes.erp.admin.setOrderStatus(id, 'CANCELLED');
    await expect.poll(() => allocated(sku), { timeout: 3_000, interval: 25 }).toBe(before);
    const repeat = await place(key, 4);
    expect(repeat.body.data?.placeOrder?.order).toMatchObject({ id, status: 'CANCELLED' });
    expect(await calls('erp', 'POST /orders')).toBe(1);
  });

  it('a release that keeps failing is dead-lettered; the operator replays one and discards another', async () => {
    const before = await allocated(sku);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      ids.push((await place(randomUUID(), 1)).body.data!.placeOrder!.order!.id);
    }
    await stack.sandboxes.inventory.admin.setFaults({
      status: 503,
      routes: ['DELETE /reservations/:id'],
    });
    for (const id of ids) await stack.sandboxes.erp.admin.setOrderStatus(id, 'CANCELLED');
    const adminBase = stack.subgraphs.erp.url.replace(/\/graphql$/, '');
    const auth = { authorization: `Bearer ${stackAdminToken}` };
    const letters = async () => {
      const listed = await fetch(
        `${adminBase}/admin/dead-letters?kind=webhook.order.status_changed`,
        { headers: auth },
      );
      return ((await listed.json()) as { deadLetters: { id: string; attempts: number }[] })
        .deadLetters;
    };
    await expect.poll(async () => (await letters()).length, { timeout: 5_000 }).toBe(2);
    expect((await letters()).every((l) => l.attempts === 3)).toBe(true);
    expect((await allocated(sku)) - before).toBe(2);

    await stack.sandboxes.inventory.admin.clearFaults();
    await sleep(150); // the inventory client's circuit half-opens
    const [replayed, discarded] = await letters();
    const replay = await fetch(
      `${adminBase}/admin/dead-letters/${encodeURIComponent(replayed!.id)}/replay`,
      { method: 'POST', headers: auth },
    );
    expect(replay.status).toBe(200);
    const discard = await fetch(
      `${adminBase}/admin/dead-letters/${encodeURIComponent(discarded!.id)}`,
      { method: 'DELETE', headers: auth },
    );
    expect(discard.status).toBe(204);
    expect(await letters()).toEqual([]);
    // The replayed release freed its unit; the discarded one is the operator's to deal with.
    expect((await allocated(sku)) - before).toBe(1);
  });

  describe('two ERP subgraph processes on one Redis', () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `test:${randomUUID()}:`;
    const processes: Spawned[] = [];
    const urls: string[] = [];
    let gateways: { url: string }[];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        const port = await getAvailablePort();
        const spawned = spawnNode(
          ['--conditions=source', '--import', 'tsx', 'subgraphs/erp/src/main.ts'],
          {
            NODE_ENV: 'test',
            LOG_LEVEL: 'warn',
            PORT: String(port),
            UPSTREAM_BASE_URL: stack.sandboxes.erp.url,
            INVENTORY_BASE_URL: stack.sandboxes.inventory.url,
            CRM_BASE_URL: stack.sandboxes.crm.url,
            REDIS_URL: redisUrl,
            REDIS_KEY_PREFIX: prefix,
            // A replica's jobs pass to the other one second after it goes silent.
            JOB_LEASE_SECONDS: '1',
            JOB_MAX_ATTEMPTS: '100',
            JOB_RETRY_BASE_MS: '100',
            UPSTREAM_BREAKER_FAILURES: '1000',
          },
        );
        processes.push(spawned);
        await waitForOk(`http://127.0.0.1:${port}/ready`, 60_000);
        urls.push(`http://127.0.0.1:${port}`);
      }
      // A gateway over each replica.
      gateways = await Promise.all(
        urls.map((url) => stack.startGateway({ SUBGRAPH_ERP_URL: `${url}/graphql` })),
      );
    }, 120_000);
    afterAll(async () => {
      for (const p of processes) p.child.kill('SIGTERM');
      await Promise.all(processes.map((p) => p.exited));
      await deleteRedisKeys(redisUrl, prefix);
    });

    it('still make one order for one key', async () => {
      const [a, b] = gateways;
      await stack.resetCounters();
      const key = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => place(key, 1, i % 2 ? a!.url : b!.url)),
      );
      const ids = new Set(results.map((r) => r.body.data?.placeOrder?.order?.id));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toBeDefined();
      expect(await calls('erp', 'POST /orders')).toBe(1);
      expect(await calls('inventory', 'POST /reservations')).toBe(1);
    });

    it('an event accepted by a replica that is then killed is applied by the other', async () => {
      const before = await allocated(sku);
      const id = (await place(randomUUID(), 2, gateways[1]!.url)).body.data!.placeOrder!.order!.id;
      expect((await allocated(sku)) - before).toBe(2);
      const ownSubscriber = stack.subgraphs.erp.url.replace(/\/graphql$/, '/webhooks/erp');
      // The ERP's events go to replica A alone, and the WMS refuses releases for now.
      await stack.sandboxes.erp.admin.setWebhookTargets([`${urls[0]}/webhooks/erp`]);
      await stack.sandboxes.inventory.admin.setFaults({
        status: 503,
        routes: ['DELETE /reservations/:id'],
      });
      try {
        // Cancelled in the ERP: A accepts the event (202), then fails to release, and retries...
        await stack.sandboxes.erp.admin.setOrderStatus(id, 'CANCELLED');
        await expect
          .poll(() => calls('inventory', 'DELETE /reservations/:id'), { timeout: 5_000 })
          .toBeGreaterThan(0);
        // ...until it is killed: nothing of it runs any more, nothing was answered again.
        processes[0]!.child.kill('SIGKILL');
        await processes[0]!.exited;
        await stack.sandboxes.inventory.admin.clearFaults();
        // Replica B takes the job over once A's lease (1 s) has run out, and releases the stock.
        await expect.poll(() => allocated(sku), { timeout: 10_000, interval: 100 }).toBe(before);
      } finally {
        await stack.sandboxes.inventory.admin.clearFaults();
        await stack.sandboxes.erp.admin.setWebhookTargets([ownSubscriber]);
      }
    }, 60_000);
  });
});
