import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

describe('sandbox admin API: request counters', () => {
  let erp: RunningErp;
  beforeAll(async () => {
    erp = await startErpSandbox();
    await erp.token(); // counted as POST /oauth/token; reset before each count below
  });
  afterAll(async () => {
    await erp?.close();
  });

  async function counters() {
    const response = await fetch(`${erp.url}/__admin/counters`);
    expect(response.status).toBe(200);
    return (await response.json()) as { total: number; routes: Record<string, number> };
  }

  async function reset() {
    const response = await fetch(`${erp.url}/__admin/counters`, { method: 'DELETE' });
    expect(response.status).toBe(204);
  }

  it('counts each call under its route pattern, as calls arrive', async () => {
    await erp.call('GET', '/orders'); // the helper's first call also fetches a token
    await reset();
    expect(await counters()).toEqual({ total: 0, routes: {} });

    await erp.call('GET', '/orders/4500000001');
    expect(await counters()).toEqual({ total: 1, routes: { 'GET /orders/:doc_id': 1 } });
    await erp.call('GET', '/orders/4500000002');
    await erp.call('GET', '/orders/4400000000'); // a 404 is still a call
    await erp.call('GET', '/products?limit=3');
    await erp.call('POST', '/products/batch-get', { body: { ids: ['SKU-10001'] } });
    await erp.call('GET', '/orders/by-client?client_numbers=100001');
    expect(await counters()).toEqual({
      total: 6,
      routes: {
        'GET /orders/:doc_id': 3,
        'GET /orders/by-client': 1,
        'GET /products': 1,
        'POST /products/batch-get': 1,
      },
    });
  });

  it('counts calls refused for want of a token, and token requests', async () => {
    await reset();
    await erp.call('GET', '/clients', { auth: false });
    await erp.token();
    expect(await counters()).toEqual({
      total: 2,
      routes: { 'GET /clients': 1, 'POST /oauth/token': 1 },
    });
  });

  it('leaves out /__admin, /health and unknown paths', async () => {
    await reset();
    await fetch(`${erp.url}/health`);
    await fetch(`${erp.url}/__admin/faults`);
    await fetch(`${erp.url}/__admin/counters`);
    await erp.call('GET', '/no-such-route');
    expect(await counters()).toEqual({ total: 0, routes: {} });
  });

  it('DELETE resets every count', async () => {
    await erp.call('GET', '/orders/4500000001');
    expect((await counters()).total).toBeGreaterThan(0);
    await reset();
    expect(await counters()).toEqual({ total: 0, routes: {} });
  });
});
