import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RunningHttpServer } from '@bff/core';
import { postGraphQL, roomyRateLimits, startStack, writeConsumerPolicyFile } from '@bff/testing';
import type { Stack, StackService } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { get, json, keysOf } from './httpGet.js';
import type { Answer } from './httpGet.js';
import { startMobile } from './startMobile.js';

// The error statuses of the order feed, the order detail and the customer
// card through the whole stack. There is no 403 case: none of the three
// roots needs a scope (only the card's email and phone need crm:pii, and
// the card leaves those out), so no signed-in caller is refused a screen.

/** The error shape, exactly, with the request id the answer was sent under. */
function expectError(
  answer: Answer,
  status: number,
  code: string,
  details: Record<string, unknown> = {},
) {
  expect(answer.status).toBe(status);
  const requestId = answer.headers['x-request-id'];
  expect(requestId).toEqual(expect.any(String));
  const body = json(answer);
  expect(keysOf(body)).toEqual(['error']);
  expect(keysOf(body.error)).toEqual(['code', 'details', 'message', 'request_id', 'status']);
  expect(body).toEqual({
    error: { code, message: expect.any(String), status, details, request_id: requestId },
  });
  expect(answer.headers['cache-control']).toBe('no-store');
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('bff-mobile order feed, order detail and customer card: error statuses', () => {
  const oneRequest = writeConsumerPolicyFile({
    ...roomyRateLimits,
    authenticated: { rateLimit: { requestsPerMinute: 1, burst: 1 } },
  });
  let stack: Stack;
  let bff: RunningHttpServer;
  let orderId: string;
  let customerId: string;
  beforeAll(async () => {
    stack = await startStack();
    bff = await startMobile(stack.gatewayUrl);
    const found = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ orders(first: 1) { nodes { id customer { id } } } }' },
      stack.fullAccess,
    );
    const order = (
      found.body.data as { orders: { nodes: { id: string; customer: { id: string } }[] } }
    ).orders.nodes[0]!;
    orderId = order.id;
    customerId = order.customer.id;
  });
  afterAll(async () => {
    await bff?.close();
    await stack?.close();
    oneRequest.dispose();
  });

  const screens: [string, () => string][] = [
    ['order feed', () => '/m/v1/orders'],
    ['order detail', () => `/m/v1/orders/${orderId}`],
    ['customer card', () => `/m/v1/customers/${customerId}`],
  ];
  /** A user of their own, so no test's rate-limit bucket is another's. */
  const freshUser = () =>
    stack.credentials.bearer({ sub: `mobile-${Math.random().toString(36).slice(2)}` });

  it.each(screens)('%s: answers an anonymous caller 401 UNAUTHENTICATED', async (_, path) => {
    expectError(await get(`${bff.url}${path()}`), 401, 'UNAUTHENTICATED');
    const id = `anon-${Math.random().toString(36).slice(2)}`;
    const answer = await get(`${bff.url}${path()}`, { 'x-request-id': id });
    expectError(answer, 401, 'UNAUTHENTICATED');
    expect(answer.headers['x-request-id']).toBe(id);
  });

  describe('with a gateway that lets a signed-in user make one request a minute', () => {
    let strict: StackService;
    let limited: RunningHttpServer;
    beforeAll(async () => {
      strict = await stack.startGateway({ CONSUMER_POLICY_FILE: oneRequest.path });
      limited = await startMobile(strict.url);
    });
    afterAll(async () => {
      await limited?.close();
      await strict?.close();
    });

    it.each(screens)('%s: answers 429 RATE_LIMITED with Retry-After', async (_, path) => {
      const user = await freshUser();
      expect((await get(`${limited.url}${path()}`, user)).status).toBe(200);
      const answer = await get(`${limited.url}${path()}`, user);
      const retryAfter = Number(answer.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      expectError(answer, 429, 'RATE_LIMITED', { retryAfterSeconds: retryAfter });
    });
  });

  describe('with the gateway unreachable', () => {
    let orphan: RunningHttpServer;
    beforeAll(async () => {
      const closed = createServer();
      const port = await listen(closed);
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      orphan = await startMobile(`http://127.0.0.1:${port}/graphql`);
    });
    afterAll(async () => {
      await orphan?.close();
    });

    it.each(screens)('%s: answers 502 UPSTREAM_UNAVAILABLE', async (_, path) => {
      expectError(
        await get(`${orphan.url}${path()}`, await freshUser()),
        502,
        'UPSTREAM_UNAVAILABLE',
      );
    });
  });

  describe('with a gateway that never answers', () => {
    const silent = createServer(() => {
      // Never answers.
    });
    let slow: RunningHttpServer;
    beforeAll(async () => {
      const port = await listen(silent);
      slow = await startMobile(`http://127.0.0.1:${port}/graphql`, { GATEWAY_TIMEOUT_MS: '200' });
    });
    afterAll(async () => {
      await slow?.close();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it.each(screens)(
      '%s: answers 503 UPSTREAM_TIMEOUT after GATEWAY_TIMEOUT_MS',
      async (_, path) => {
        const started = Date.now();
        const answer = await get(`${slow.url}${path()}`, await freshUser());
        expect(Date.now() - started).toBeGreaterThanOrEqual(190);
        expectError(answer, 503, 'UPSTREAM_TIMEOUT');
      },
    );
  });
});
