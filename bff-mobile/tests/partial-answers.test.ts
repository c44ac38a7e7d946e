import type { RunningHttpServer } from '@bff/core';
import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterEach, describe, expect, it } from 'vitest';

import { get, json, keysOf } from './httpGet.js';
import { startMobile } from './startMobile.js';

// When one upstream is down the screens still render what they have and say
// which parts are missing. Faults go through the sandbox's admin API; each
// test has its own stack, so a CRM circuit breaker left open by one test
// cannot leak into another.

async function stackWithMobile() {
  const stack = await startStack();
  const bff = await startMobile(stack.gatewayUrl);
  const found = await postGraphQL(
    stack.gatewayUrl,
    { query: '{ orders(first: 1) { nodes { id customer { id } } } }' },
    stack.fullAccess,
  );
  const order = (
    found.body.data as { orders: { nodes: { id: string; customer: { id: string } }[] } }
  ).orders.nodes[0]!;
  return { stack, bff, order };
}

describe('bff-mobile partial answers', () => {
  let stack: Stack | undefined;
  let bff: RunningHttpServer | undefined;
  afterEach(async () => {
    // Restore the CRM before the stack goes.
    await stack?.sandboxes.crm.admin.clearFaults();
    await bff?.close();
    await stack?.close();
    stack = undefined;
    bff = undefined;
  });

  it('with the CRM down: the order detail and feed render without the customer, and say so', async () => {
    const running = await stackWithMobile();
    ({ stack, bff } = running);
    const user = await stack.credentials.bearer({ sub: 'mia' });
    const url = `${bff.url}/m/v1/orders/${running.order.id}`;
    expect(keysOf((json(await get(url, user)) as { customer: object }).customer)).toEqual([
      'id',
      'name',
    ]);

    await stack.sandboxes.crm.admin.setFaults({ down: true });
    const detail = await get(url, user);
    expect(detail.status).toBe(200);
    const body = json(detail) as Record<string, unknown>;
    expect(body.partial).toEqual(['customer']);
    expect(body.customer).toEqual({ id: running.order.customer.id });
    expect(body).toMatchObject({ id: running.order.id, lines: expect.any(Array) });
    expect((body.lines as unknown[]).length).toBeGreaterThan(0);

    const feed = await get(`${bff.url}/m/v1/orders?limit=5`, user);
    expect(feed.status).toBe(200);
    const page = json(feed) as { orders: Record<string, unknown>[]; partial: string[] };
    expect(keysOf(page)).toEqual(['nextCursor', 'orders', 'partial']);
    expect(page.partial).toEqual(['customer']);
    expect(page.orders).toHaveLength(5);
    for (const row of page.orders)
      expect(keysOf(row)).toEqual(['id', 'lineCount', 'number', 'placedOn', 'status', 'total']);

    // The customer card is the CRM's: with nothing to show, it is a 502.
    const card = await get(`${bff.url}/m/v1/customers/${running.order.customer.id}`, user);
    expect(card.status).toBe(502);
    expect(json(card)).toMatchObject({ error: { code: 'UPSTREAM_UNAVAILABLE', status: 502 } });
  });

  it("with the CRM's activities down: the customer card renders without them, and says so", async () => {
    const running = await stackWithMobile();
    ({ stack, bff } = running);
    const user = await stack.credentials.bearer({ sub: 'mia' });
    const url = `${bff.url}/m/v1/customers/${running.order.customer.id}`;
    expect(json(await get(url, user)).activities).toEqual(expect.any(Array));

    await stack.sandboxes.crm.admin.setFaults({
      down: true,
      routes: ['GET /contacts/:contactId/activities', 'GET /activities/by-contact'],
    });
    const card = await get(url, user);
    expect(card.status).toBe(200);
    const body = json(card);
    expect(body.partial).toEqual(['activities']);
    expect(keysOf(body)).toEqual(['company', 'id', 'name', 'openOrders', 'partial', 'segment']);
  });
});
