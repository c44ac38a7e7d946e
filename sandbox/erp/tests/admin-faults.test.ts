import { performance } from 'node:perf_hooks';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

describe('sandbox admin API: fault injection', () => {
  let erp: RunningErp;
  beforeAll(async () => {
    erp = await startErpSandbox();
    await erp.call('GET', '/orders?limit=1'); // fetch and cache the token before any fault
  });
  afterEach(async () => {
    await fetch(`${erp.url}/__admin/faults`, { method: 'DELETE' });
  });
  afterAll(async () => {
    await erp?.close();
  });

  function putFaults(body: unknown, raw = false) {
    return fetch(`${erp.url}/__admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: raw ? (body as string) : JSON.stringify(body),
    });
  }

  async function setFaults(body: Record<string, unknown>) {
    const response = await putFaults(body);
    expect(response.status).toBe(200);
    return response.json();
  }

  it.each([
    [{ bogus: true }, 'body: Unrecognized key: "bogus"'],
    [{ status: 200 }, 'status:'],
    [{ errorRate: 2 }, 'errorRate:'],
    [{ latencyMs: -5 }, 'latencyMs:'],
    [{ times: 0 }, 'times:'],
    [{ down: 'yes' }, 'down:'],
    [{ routes: 'GET /orders' }, 'routes:'],
    [[], 'body:'],
  ])('refuses PUT %j with 400 invalid_fault', async (body, detail) => {
    const response = await putFaults(body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as {
      error: { type: string; code: string; message: string };
    };
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.code).toBe('invalid_fault');
    expect(json.error.message).toContain(detail);
    // Nothing was set.
    expect(await (await fetch(`${erp.url}/__admin/faults`)).json()).toEqual({ baseLatencyMs: 0 });
  });

  it('answers the current faults', async () => {
    expect(await setFaults({ status: 503, routes: ['GET /orders'], times: 2 })).toEqual({
      status: 503,
      routes: ['GET /orders'],
      times: 2,
      remaining: 2,
      baseLatencyMs: 0,
    });
  });

  it('makes API routes answer an injected status, with Retry-After, token or not', async () => {
    await setFaults({ status: 503, retryAfterSeconds: 4 });
    for (const auth of [true, false]) {
      const response = await erp.call('GET', '/orders?limit=1', { auth });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('4');
      expect(await response.json()).toEqual({
        error: {
          type: 'api_error',
          code: 'injected_fault',
          message: 'fault injected through the sandbox admin API',
        },
      });
    }
    const post = await erp.call('POST', '/products/batch-get', { body: { ids: ['SKU-10001'] } });
    expect(post.status).toBe(503);
  });

  it('sends no Retry-After when none was set', async () => {
    await setFaults({ status: 429 });
    const response = await erp.call('GET', '/products');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('never applies to the admin API or /health', async () => {
    await setFaults({ status: 500 });
    expect((await fetch(`${erp.url}/__admin/counters`)).status).toBe(200);
    expect((await fetch(`${erp.url}/__admin/faults`)).status).toBe(200);
    expect((await fetch(`${erp.url}/health`)).status).toBe(200);
    await setFaults({ down: true });
    expect((await fetch(`${erp.url}/__admin/counters`)).status).toBe(200);
  });

  it('applies to the listed routes only', async () => {
    await setFaults({ status: 502, routes: ['GET /orders/:doc_id'] });
    expect((await erp.call('GET', '/orders/4500000001')).status).toBe(502);
    expect((await erp.call('GET', '/orders?limit=1')).status).toBe(200);
    expect((await erp.call('GET', '/products/SKU-10001')).status).toBe(200);
  });

  it('applies `times` to the next calls only', async () => {
    await setFaults({ status: 503, times: 2, routes: ['GET /products'] });
    expect((await erp.call('GET', '/clients?limit=1')).status).toBe(200);
    expect((await erp.call('GET', '/products')).status).toBe(503);
    expect((await erp.call('GET', '/products')).status).toBe(503);
    expect((await erp.call('GET', '/products')).status).toBe(200);
    expect(await (await fetch(`${erp.url}/__admin/faults`)).json()).toEqual({ baseLatencyMs: 0 });
  });

  it('fails every call at errorRate 1 with errorStatus', async () => {
    await setFaults({ errorRate: 1, errorStatus: 504 });
    expect((await erp.call('GET', '/orders?limit=1')).status).toBe(504);
    await setFaults({ errorRate: 0, errorStatus: 504 });
    expect((await erp.call('GET', '/orders?limit=1')).status).toBe(200);
  });

  it('drops the connection when down, so the request fails', async () => {
    await setFaults({ down: true, routes: ['GET /orders'] });
    await expect(erp.call('GET', '/orders?limit=1')).rejects.toThrow(TypeError);
    expect((await erp.call('GET', '/products?limit=1')).status).toBe(200);
  });

  it('adds latency to matching calls', async () => {
    await setFaults({ latencyMs: 150, routes: ['GET /clients'] });
    const start = performance.now();
    const response = await erp.call('GET', '/clients?limit=1');
    const elapsed = performance.now() - start;
    expect(response.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(149);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('DELETE clears every fault', async () => {
    await setFaults({ status: 500 });
    expect((await erp.call('GET', '/orders?limit=1')).status).toBe(500);
    const cleared = await fetch(`${erp.url}/__admin/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect((await erp.call('GET', '/orders?limit=1')).status).toBe(200);
    expect(await (await fetch(`${erp.url}/__admin/faults`)).json()).toEqual({ baseLatencyMs: 0 });
  });
});

describe('sandbox base latency from SANDBOX_LATENCY_MS', () => {
  let erp: RunningErp;
  beforeAll(async () => {
    erp = await startErpSandbox({ SANDBOX_LATENCY_MS: '120' });
  });
  afterAll(async () => {
    await erp?.close();
  });

  it('delays API calls but not the admin API', async () => {
    const token = await erp.token();
    const start = performance.now();
    const response = await erp.call('GET', '/orders/4500000001', {
      auth: false,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(119);
    expect(elapsed).toBeLessThan(5_000);
    expect(await (await fetch(`${erp.url}/__admin/faults`)).json()).toEqual({
      baseLatencyMs: 120,
    });
  });
});
