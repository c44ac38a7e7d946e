import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import type { RunningHttpServer } from '@bff/core';
import { postGraphQL, roomyRateLimits, startStack, writeConsumerPolicyFile } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { get, json } from './httpGet.js';
import { startMobile } from './startMobile.js';

// bff-mobile's product card through the whole stack: sandboxes, subgraphs and
// the gateway in process, which serves the committed bff-mobile manifest.

describe('bff-mobile product card', () => {
  const burstOfOne = writeConsumerPolicyFile({
    ...roomyRateLimits,
    anonymous: { rateLimit: { requestsPerMinute: 1, burst: 1 } },
  });
  let stack: Stack;
  let bff: RunningHttpServer;
  let sku: string;
  let expected: { name: string; price: { amount: string; currency: string }; available: number };
  beforeAll(async () => {
    stack = await startStack();
    bff = await startMobile(stack.gatewayUrl);
    const found = await postGraphQL(
      stack.gatewayUrl,
      {
        query:
          '{ products(first: 1) { nodes { sku name price { amount currency } stock { available } } } }',
      },
      stack.fullAccess,
    );
    const product = (
      found.body.data as {
        products: {
          nodes: {
            sku: string;
            name: string;
            price: { amount: string; currency: string };
            stock: { available: number };
          }[];
        };
      }
    ).products.nodes[0]!;
    sku = product.sku;
    expected = { name: product.name, price: product.price, available: product.stock.available };
  });
  afterAll(async () => {
    await bff?.close();
    await stack?.close();
    burstOfOne.dispose();
  });

  const card = (path = sku) => `${bff.url}/m/v1/products/${encodeURIComponent(path)}`;

  it('renders only what the screen shows, money preformatted and exact', async () => {
    const answer = await get(card());
    expect(answer.status).toBe(200);
    const body = json(answer);
    expect(Object.keys(body).sort()).toEqual(['available', 'inStock', 'name', 'price', 'sku']);
    expect(Object.keys(body.price as object).sort()).toEqual(['amount', 'currency', 'display']);
    const display = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: expected.price.currency,
    }).format(Number(expected.price.amount));
    expect(body).toEqual({
      sku,
      name: expected.name,
      price: { ...expected.price, display },
      available: expected.available,
      inStock: expected.available > 0,
    });
    expect(display).toMatch(/^[€$£]\d/);
    expect(answer.headers['cache-control']).toBe('private, no-cache');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('has a strong ETag of its body and answers 304 with no body when it matches', async () => {
    const first = await get(card());
    const etag = first.headers.etag as string;
    expect(etag).toBe(`"${createHash('sha256').update(first.raw).digest('hex')}"`);
    const again = await get(card(), { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('private, no-cache');
    const changed = await get(card(), { 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
  });

  it('is gzipped or brotli-compressed by Accept-Encoding, same JSON either way', async () => {
    const plain = await get(card());
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzip = await get(card(), { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.raw).equals(plain.raw)).toBe(true);
    const br = await get(card(), { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.raw).equals(plain.raw)).toBe(true);
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(gzip.headers.etag).toBe(plain.headers.etag);
    console.log(
      `product card: ${plain.raw.length} B plain, ${gzip.raw.length} B gzip, ${br.raw.length} B br`,
    );
  });

  it('echoes the request id it was sent', async () => {
    const id = `mobile-${Math.random().toString(36).slice(2)}`;
    const answer = await get(card(), { 'x-request-id': id });
    expect(answer.headers['x-request-id']).toBe(id);
  });

  it('answers an unknown SKU 404 NOT_FOUND in the error shape', async () => {
    const id = `missing-${Math.random().toString(36).slice(2)}`;
    const answer = await get(card('NOPE-404'), { 'x-request-id': id });
    expect(answer.status).toBe(404);
    expect(json(answer)).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: expect.any(String),
        status: 404,
        details: { sku: 'NOPE-404' },
        request_id: id,
      },
    });
  });

  it('answers a token the gateway refuses 401 UNAUTHENTICATED', async () => {
    const answer = await get(card(), { authorization: 'Bearer nope' });
    expect(answer.status).toBe(401);
    expect(json(answer)).toEqual({
      error: {
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
        status: 401,
        details: {},
        request_id: answer.headers['x-request-id'],
      },
    });
  });

  it('forwards a valid bearer token, so a signed-in user gets the card', async () => {
    const answer = await get(card(), await stack.credentials.bearer({ sub: 'mia' }));
    expect(answer.status).toBe(200);
  });

  it('answers the gateway rate limit 429 RATE_LIMITED with its Retry-After', async () => {
    const strict = await stack.startGateway({ CONSUMER_POLICY_FILE: burstOfOne.path });
    const limited = await startMobile(strict.url);
    try {
      expect((await get(`${limited.url}/m/v1/products/${sku}`)).status).toBe(200);
      const answer = await get(`${limited.url}/m/v1/products/${sku}`);
      expect(answer.status).toBe(429);
      const retryAfter = Number(answer.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(json(answer)).toEqual({
        error: {
          code: 'RATE_LIMITED',
          message: expect.any(String),
          status: 429,
          details: { retryAfterSeconds: retryAfter },
          request_id: answer.headers['x-request-id'],
        },
      });
    } finally {
      await limited.close();
      await strict.close();
    }
  });

  it('answers 502 UPSTREAM_UNAVAILABLE when the gateway cannot be reached, and is not ready', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const orphan = await startMobile(`http://127.0.0.1:${port}/graphql`);
    try {
      const answer = await get(`${orphan.url}/m/v1/products/${sku}`);
      expect(answer.status).toBe(502);
      expect(json(answer)).toMatchObject({
        error: { code: 'UPSTREAM_UNAVAILABLE', status: 502, details: {} },
      });
      const ready = await get(`${orphan.url}/ready`);
      expect(ready.status).toBe(503);
      expect((await get(`${orphan.url}/health`)).status).toBe(200);
    } finally {
      await orphan.close();
    }
  });

  it('answers 503 UPSTREAM_TIMEOUT when the gateway does not answer within GATEWAY_TIMEOUT_MS', async () => {
    const silent = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const slow = await startMobile(`http://127.0.0.1:${port}/graphql`, {
      GATEWAY_TIMEOUT_MS: '200',
    });
    try {
      const answer = await get(`${slow.url}/m/v1/products/${sku}`);
      expect(answer.status).toBe(503);
      expect(json(answer)).toMatchObject({
        error: { code: 'UPSTREAM_TIMEOUT', status: 503 },
      });
    } finally {
      await slow.close();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('is healthy, and ready while the gateway is', async () => {
    expect(json(await get(`${bff.url}/health`))).toEqual({ status: 'ok' });
    const ready = await get(`${bff.url}/ready`);
    expect(ready.status).toBe(200);
    expect(json(ready)).toEqual({ status: 'ready', checks: { gateway: 'ok' } });
  });
});
