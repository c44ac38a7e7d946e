import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import type { RunningHttpServer } from '@bff/core';
import { postGraphQL, startStack } from '@bff/testing';
import type { GraphQLResult, Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { get, json, keysOf } from './httpGet.js';
import { maxFeedLimit } from '../src/screens/orderFeed.js';
import { startMobile } from './startMobile.js';

// bff-mobile's order feed, order detail and customer card through the whole
// stack, as a signed-in user (authenticated class: cost 2000, depth 10).

interface GraphOrder {
  id: string;
  number: string;
  status: string;
  orderDate: string;
  total: { amount: string; currency: string };
  customer: { id: string; name: string };
  lines: { lineNumber: number }[];
  fulfilmentStatus: string | null;
}

interface OrderIdsPage {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string };
}

const display = ({ amount, currency }: { amount: string; currency: string }) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(amount));

describe('bff-mobile order feed, order detail and customer card', () => {
  let stack: Stack;
  let bff: RunningHttpServer;
  let user: Record<string, string>;
  let newest: GraphOrder[];
  beforeAll(async () => {
    stack = await startStack();
    bff = await startMobile(stack.gatewayUrl);
    user = await stack.credentials.bearer({ sub: 'mia' });
    const found = await postGraphQL(
      stack.gatewayUrl,
      {
        query: `{ orders(first: 20) { nodes { id number status orderDate fulfilmentStatus
          total { amount currency } customer { id name } lines { lineNumber } } } }`,
      },
      stack.fullAccess,
    );
    newest = (found.body.data as { orders: { nodes: GraphOrder[] } }).orders.nodes;
    expect(newest).toHaveLength(20);
  });
  afterAll(async () => {
    await bff?.close();
    await stack?.close();
  });

  const feed = (query = '') => `${bff.url}/m/v1/orders${query}`;

  /** Every order's id as the graph lists them, newest first, and the cursor after each hundred. */
  const graphOrders = async () => {
    const ids: string[] = [];
    const cursors: string[] = [];
    let after: string | null = null;
    for (;;) {
      const found: GraphQLResult<{ orders: OrderIdsPage }> = await postGraphQL(
        stack.gatewayUrl,
        {
          query: `query ($after: String) { orders(first: 100, after: $after) {
            nodes { id } pageInfo { hasNextPage endCursor } } }`,
          variables: { after },
        },
        stack.fullAccess,
      );
      const { nodes, pageInfo } = found.body.data!.orders;
      ids.push(...nodes.map((n) => n.id));
      if (!pageInfo.hasNextPage) return { ids, cursors };
      cursors.push(pageInfo.endCursor);
      after = pageInfo.endCursor;
    }
  };

  /**
   * The feed's order ids from `cursor` (or the start) to the page without a
   * nextCursor, checking on the way that every page but the last is full,
   * none is empty, and no order comes twice.
   */
  const walkFeed = async (limit: number, cursor?: string) => {
    const seen: string[] = [];
    let next = cursor;
    for (;;) {
      const answer = await get(
        feed(`?limit=${limit}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`),
        user,
      );
      expect(answer.status).toBe(200);
      const page = json(answer) as { orders: { id: string }[]; nextCursor?: string };
      expect(page.orders.length, 'an empty page').toBeGreaterThan(0);
      seen.push(...page.orders.map((o) => o.id));
      if (page.nextCursor === undefined) {
        expect(keysOf(page)).toEqual(['orders']);
        break;
      }
      expect(page.orders).toHaveLength(limit);
      next = page.nextCursor;
    }
    expect(new Set(seen).size, 'an order on two pages').toBe(seen.length);
    return seen;
  };

  describe('GET /m/v1/orders', () => {
    it('answers a 20-row page of the newest orders, each row only what it renders', async () => {
      const answer = await get(feed(), user);
      expect(answer.status).toBe(200);
      expect(answer.headers['cache-control']).toBe('private, no-cache');
      const body = json(answer) as { orders: Record<string, unknown>[]; nextCursor: string };
      expect(keysOf(body)).toEqual(['nextCursor', 'orders']);
      expect(body.orders).toHaveLength(20);
      for (const row of body.orders) {
        expect(keysOf(row)).toEqual([
          'customerName',
          'id',
          'lineCount',
          'number',
          'placedOn',
          'status',
          'total',
        ]);
        expect(keysOf(row.total)).toEqual(['amount', 'currency', 'display']);
      }
      expect(body.orders).toEqual(
        newest.map((o) => ({
          id: o.id,
          number: o.number,
          status: o.status,
          placedOn: o.orderDate,
          total: { ...o.total, display: display(o.total) },
          customerName: o.customer.name,
          lineCount: o.lines.length,
        })),
      );
      const gzipped = gzipSync(answer.raw).length;
      console.log(`order feed, 20 rows: ${answer.raw.length} B plain, ${gzipped} B gzip`);
    });

    it('walks on with nextCursor: page 2 follows page 1, no overlap', async () => {
      const first = json(await get(feed('?limit=7'), user)) as {
        orders: { id: string }[];
        nextCursor: string;
      };
      expect(first.orders).toHaveLength(7);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = json(
        await get(feed(`?limit=7&cursor=${encodeURIComponent(first.nextCursor)}`), user),
      ) as { orders: { id: string }[]; nextCursor: string };
      expect(second.orders).toHaveLength(7);
      const ids = [...first.orders, ...second.orders].map((o) => o.id);
      expect(new Set(ids).size).toBe(14);
      expect(ids).toEqual(newest.slice(0, 14).map((o) => o.id));
    });

    it(
      'walks to the last page: every order once, newest first, no nextCursor at the end',
      { timeout: 120_000 },
      async () => {
        const graph = await graphOrders();
        // The sandbox's count is a multiple of 50: the last page is exactly full,
        // where a feed that only trusted "a full page means more" would go on.
        expect(graph.ids.length % maxFeedLimit).toBe(0);
        expect(await walkFeed(maxFeedLimit)).toEqual(graph.ids);
        // From 100 orders before the end, so that the last page is a short one.
        const nearEnd = graph.cursors.at(-1)!;
        expect(await walkFeed(30, nearEnd)).toEqual(graph.ids.slice(-100));
      },
    );

    it('answers an anonymous caller 401 UNAUTHENTICATED in the error shape', async () => {
      const id = `anon-${Math.random().toString(36).slice(2)}`;
      const answer = await get(feed(), { 'x-request-id': id });
      expect(answer.status).toBe(401);
      expect(json(answer)).toEqual({
        error: {
          code: 'UNAUTHENTICATED',
          message: expect.any(String),
          status: 401,
          details: {},
          request_id: id,
        },
      });
    });

    it.each(['0', '51', 'ten'])('answers limit=%s 400 BAD_USER_INPUT', async (limit) => {
      const answer = await get(feed(`?limit=${limit}`), user);
      expect(answer.status).toBe(400);
      expect(json(answer)).toMatchObject({
        error: { code: 'BAD_USER_INPUT', status: 400, details: { limit } },
      });
    });

    it('has a strong ETag and answers 304 with no body when it matches', async () => {
      const first = await get(feed('?limit=5'), user);
      const etag = first.headers.etag as string;
      expect(etag).toBe(`"${createHash('sha256').update(first.raw).digest('hex')}"`);
      const again = await get(feed('?limit=5'), { ...user, 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.raw.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
    });
  });

  describe('GET /m/v1/orders/:id', () => {
    it('renders the header, the customer and the lines with availability', async () => {
      const order = newest[0]!;
      const answer = await get(`${bff.url}/m/v1/orders/${order.id}`, {
        ...user,
        'accept-encoding': 'gzip',
      });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe('gzip');
      const plain = await get(`${bff.url}/m/v1/orders/${order.id}`, user);
      const body = json(plain) as Record<string, unknown> & {
        lines: Record<string, unknown>[];
      };
      expect(keysOf(body)).toEqual(
        [
          'customer',
          ...(order.fulfilmentStatus ? ['fulfilment'] : []),
          'id',
          'lineCount',
          'lines',
          'number',
          'placedOn',
          'status',
          'tax',
          'total',
        ].sort(),
      );
      expect(body).toMatchObject({
        id: order.id,
        number: order.number,
        status: order.status,
        placedOn: order.orderDate,
        customer: { id: order.customer.id, name: order.customer.name },
        total: { ...order.total, display: display(order.total) },
        lineCount: order.lines.length,
      });
      expect(keysOf(body.customer)).toEqual(['id', 'name']);
      expect(body.lines).toHaveLength(Math.min(order.lines.length, 20));
      for (const line of body.lines) {
        expect(keysOf(line)).toEqual(['available', 'inStock', 'name', 'quantity', 'sku', 'total']);
        expect(keysOf(line.total)).toEqual(['amount', 'currency', 'display']);
        expect(line.inStock).toBe((line.available as number) > 0);
      }
      console.log(
        `order detail (${order.lines.length} lines): ${plain.raw.length} B plain, ${answer.raw.length} B gzip`,
      );
    });

    it('answers an unknown order 404 NOT_FOUND with its id', async () => {
      // Well formed (the ERP answers a malformed id 400), but no such order.
      const id = newest[0]!.id.replace(/\d+$/, (digits) => '9'.repeat(digits.length));
      expect(newest.map((o) => o.id)).not.toContain(id);
      const answer = await get(`${bff.url}/m/v1/orders/${id}`, user);
      expect(answer.status).toBe(404);
      expect(json(answer)).toMatchObject({
        error: { code: 'NOT_FOUND', status: 404, details: { id } },
      });
    });

    it('answers an anonymous caller 401', async () => {
      const answer = await get(`${bff.url}/m/v1/orders/${newest[0]!.id}`);
      expect(answer.status).toBe(401);
      expect(json(answer)).toMatchObject({ error: { code: 'UNAUTHENTICATED', status: 401 } });
    });
  });

  describe('GET /m/v1/customers/:id', () => {
    const card = (id: string) => `${bff.url}/m/v1/customers/${id}`;

    it('shows email and phone to a caller with crm:pii, recent activities and open orders', async () => {
      const id = newest[0]!.customer.id;
      const answer = await get(
        card(id),
        await stack.credentials.bearer({ sub: 'mia', scopes: ['crm:pii'] }),
      );
      expect(answer.status).toBe(200);
      const body = json(answer) as Record<string, unknown> & {
        activities: Record<string, unknown>[];
        openOrders: Record<string, unknown>[];
      };
      expect(keysOf(body)).toEqual([
        'activities',
        'company',
        'email',
        'id',
        'name',
        'openOrders',
        'phone',
        'segment',
      ]);
      expect(body).toMatchObject({ id, name: newest[0]!.customer.name });
      expect(body.activities.length).toBeLessThanOrEqual(3);
      for (const activity of body.activities)
        expect(keysOf(activity)).toEqual(['at', 'subject', 'type']);
      expect(body.openOrders.length).toBeLessThanOrEqual(3);
      for (const order of body.openOrders) {
        expect(keysOf(order)).toEqual(['id', 'number', 'placedOn', 'status', 'total']);
        expect(['PENDING', 'CONFIRMED']).toContain(order.status);
      }
    });

    it('leaves email and phone out, without failing, for a caller without crm:pii', async () => {
      const id = newest[0]!.customer.id;
      const answer = await get(card(id), user);
      expect(answer.status).toBe(200);
      const body = json(answer);
      expect(keysOf(body)).toEqual([
        'activities',
        'company',
        'id',
        'name',
        'openOrders',
        'segment',
      ]);
      expect(body.partial).toBeUndefined();
    });

    it('answers an unknown customer 404 and an anonymous caller 401', async () => {
      const missing = await get(card('NOPE-404'), user);
      expect(missing.status).toBe(404);
      expect(json(missing)).toMatchObject({
        error: { code: 'NOT_FOUND', status: 404, details: { id: 'NOPE-404' } },
      });
      const anonymous = await get(card(newest[0]!.customer.id));
      expect(anonymous.status).toBe(401);
    });
  });
});
