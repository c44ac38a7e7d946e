import { gunzipSync } from 'node:zlib';

import type { RunningHttpServer } from '@bff/core';
import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startWeb } from './startWeb.js';
import { WebBrowser } from './WebBrowser.js';

// bff-web's screens for the heavy pages, through the whole stack, signed in
// through a session cookie. The keys of every payload are pinned: the web
// app's types are written against them.

const keysOf = (value: unknown) => Object.keys(value as object).sort();
const moneyKeys = ['amount', 'currency', 'display'];

interface Seeded {
  orderId: string;
  customerId: string;
  /** A customer with open (pending or confirmed) orders. */
  customerWithOpenOrders: string;
}

async function seeded(stack: Stack): Promise<Seeded> {
  const found = await postGraphQL(
    stack.gatewayUrl,
    {
      query: `{ orders(first: 50) { nodes { id status shipments { id } customer { id } } } }`,
    },
    stack.fullAccess,
  );
  const orders = (
    found.body.data as {
      orders: {
        nodes: {
          id: string;
          status: string;
          shipments: unknown[] | null;
          customer: { id: string };
        }[];
      };
    }
  ).orders.nodes;
  const shipped = orders.find((o) => (o.shipments?.length ?? 0) > 0) ?? orders[0]!;
  const open = orders.find((o) => o.status === 'PENDING' || o.status === 'CONFIRMED')!;
  return {
    orderId: shipped.id,
    customerId: shipped.customer.id,
    customerWithOpenOrders: open.customer.id,
  };
}

describe('bff-web screens', () => {
  let stack: Stack;
  let web: RunningHttpServer;
  let data: Seeded;
  /** A sales user: personal data and the ERP account. */
  let sales: WebBrowser;
  /** Signed in with no scopes. */
  let plain: WebBrowser;
  beforeAll(async () => {
    stack = await startStack();
    web = await startWeb(stack.gatewayUrl);
    data = await seeded(stack);
    sales = new WebBrowser(web.url);
    await sales.signIn(
      await stack.credentials.token({ sub: 'sam', scopes: ['crm:pii', 'finance:read'] }),
    );
    plain = new WebBrowser(web.url);
    await plain.signIn(await stack.credentials.token({ sub: 'pat' }));
  });
  afterAll(async () => {
    await web?.close();
    await stack?.close();
  });

  it('customer overview: profile, activities, open orders and the account for a user with finance:read', async () => {
    const answer = await sales.get(`/pages/customers/${data.customerWithOpenOrders}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('private, no-cache');
    const page = answer.json<{
      customer: object;
      account: { balance: object };
      activities: Record<string, unknown>[];
      openOrders: Record<string, unknown>[];
    }>();
    expect(keysOf(page)).toEqual([
      'account',
      'activities',
      'customer',
      'moreActivities',
      'openOrders',
    ]);
    expect(keysOf(page.customer)).toEqual(
      expect.arrayContaining(['id', 'name', 'email', 'phone', 'company', 'segment']),
    );
    expect(keysOf(page.account)).toEqual([
      'accountNumber',
      'availableCredit',
      'balance',
      'blocked',
      'creditLimit',
      'currency',
      'paymentTerms',
    ]);
    expect(keysOf(page.account.balance)).toEqual(moneyKeys);
    expect(page.openOrders.length).toBeGreaterThan(0);
    for (const order of page.openOrders) {
      expect(['PENDING', 'CONFIRMED']).toContain(order.status);
      expect(keysOf(order)).toEqual(
        expect.arrayContaining(['id', 'number', 'placedOn', 'status', 'total']),
      );
    }
    const placed = (page.openOrders as { placedOn: string }[]).map((o) => o.placedOn);
    expect([...placed].sort().reverse()).toEqual(placed);
    for (const activity of page.activities)
      expect(keysOf(activity)).toEqual(
        expect.arrayContaining(['id', 'occurredAt', 'subject', 'type']),
      );
  });

  it('customer overview without the scopes: no account, no email or phone, and nothing reported missing', async () => {
    const answer = await plain.get(`/pages/customers/${data.customerWithOpenOrders}`);
    expect(answer.status).toBe(200);
    const page = answer.json<{ customer: object; partial?: unknown }>();
    expect(keysOf(page)).toEqual(['activities', 'customer', 'moreActivities', 'openOrders']);
    expect(keysOf(page.customer)).not.toContain('email');
    expect(keysOf(page.customer)).not.toContain('phone');
  });

  it('order page: the order, its customer, every line with stock per warehouse, shipments and (finance:read) the invoice', async () => {
    const answer = await sales.get(`/pages/orders/${data.orderId}`);
    expect(answer.status).toBe(200);
    const page = answer.json<{
      order: object;
      customer: object;
      lines: { product: { warehouses?: object[] } & object; unitPrice: object }[];
      shipments: object[];
    }>();
    expect(keysOf(page)).toEqual(
      expect.arrayContaining(['customer', 'lines', 'order', 'shipments']),
    );
    expect(keysOf(page).filter((k) => !['invoice'].includes(k))).toEqual([
      'customer',
      'lines',
      'order',
      'shipments',
    ]);
    expect(keysOf(page.order)).toEqual(
      expect.arrayContaining([
        'createdAt',
        'currency',
        'id',
        'number',
        'placedOn',
        'status',
        'subtotal',
        'tax',
        'total',
      ]),
    );
    expect(keysOf(page.customer)).toEqual(
      expect.arrayContaining([
        'account',
        'company',
        'email',
        'id',
        'name',
        'phone',
        'recentActivities',
        'segment',
      ]),
    );
    expect(page.lines.length).toBeGreaterThan(0);
    for (const line of page.lines) {
      expect(keysOf(line)).toEqual([
        'description',
        'lineNumber',
        'product',
        'quantity',
        'sku',
        'total',
        'unitPrice',
      ]);
      expect(keysOf(line.unitPrice)).toEqual(moneyKeys);
      expect(keysOf(line.product)).toEqual(
        expect.arrayContaining([
          'category',
          'description',
          'inStock',
          'listPrice',
          'name',
          'stock',
          'unit',
          'warehouses',
        ]),
      );
      for (const warehouse of line.product.warehouses ?? [])
        expect(keysOf(warehouse)).toEqual([
          'available',
          'city',
          'country',
          'id',
          'name',
          'onHand',
          'reserved',
        ]);
    }
    expect(page.shipments.length).toBeGreaterThan(0);
    expect(keysOf(page.shipments[0])).toEqual(
      expect.arrayContaining(['carrier', 'id', 'lines', 'status', 'trackingNumber', 'warehouse']),
    );
  });

  it('product search: matches with price and stock per warehouse, paged by cursor to the end', async () => {
    const seen: string[] = [];
    let path = '/pages/products?search=a&first=7';
    for (let page = 0; page < 50; page += 1) {
      const answer = await plain.get(path);
      expect(answer.status).toBe(200);
      const body = answer.json<{
        search: string;
        products: { sku: string; name: string }[];
        nextCursor?: string;
      }>();
      expect(body.search).toBe('a');
      for (const hit of body.products) {
        expect(keysOf(hit)).toEqual([
          'available',
          'category',
          'inStock',
          'name',
          'price',
          'sku',
          'unit',
          'warehouses',
        ]);
        expect(`${hit.sku} ${hit.name}`.toLowerCase()).toContain('a');
      }
      seen.push(...body.products.map((p) => p.sku));
      if (!body.nextCursor) break;
      expect(body.products).toHaveLength(7);
      path = `/pages/products?search=a&first=7&after=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen.length).toBeGreaterThan(7);
    expect(new Set(seen).size).toBe(seen.length);

    const sku = seen[0]!;
    const exact = (await plain.get(`/pages/products?search=${sku}`)).json<{
      products: { sku: string }[];
    }>();
    expect(exact.products.map((p) => p.sku)).toContain(sku);
  });

  it.each([
    ['/pages/products', 'search must be 1 to 100 characters.'],
    [`/pages/products?search=${'x'.repeat(101)}`, 'search must be 1 to 100 characters.'],
    ['/pages/products?search=a&first=0', 'first must be 1 to 50.'],
    ['/pages/orders/not%20an%20id', 'Not an order id.'],
  ])('answers %s with 400 BAD_USER_INPUT', async (path, message) => {
    const answer = await plain.get(path);
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message,
        status: 400,
        details: expect.any(Object),
        request_id: answer.headers['x-request-id'],
      },
    });
  });

  it('answers an unknown order or customer with 404, and an anonymous order page with 401', async () => {
    const order = await plain.get('/pages/orders/999999999');
    expect(order.status).toBe(404);
    expect(order.json()).toMatchObject({ error: { code: 'NOT_FOUND', status: 404 } });
    const customer = await plain.get('/pages/customers/C999999');
    expect(customer.status).toBe(404);
    const anonymous = await new WebBrowser(web.url).get(`/pages/orders/${data.orderId}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', status: 401 } });
  });

  it('is gzipped by Accept-Encoding, and revalidates with its ETag', async () => {
    const path = `/pages/orders/${data.orderId}`;
    const plainAnswer = await sales.get(path);
    const zipped = await sales.get(path, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.raw).equals(plainAnswer.raw)).toBe(true);
    const etag = plainAnswer.headers.etag as string;
    const again = await sales.get(path, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.raw).toHaveLength(0);
  });
});

describe('bff-web partial answers', () => {
  let stack: Stack | undefined;
  let web: RunningHttpServer | undefined;
  afterEach(async () => {
    await stack?.sandboxes.crm.admin.clearFaults();
    await stack?.sandboxes.inventory.admin.clearFaults();
    await web?.close();
    await stack?.close();
  });

  it("with the CRM's activities down the customer overview renders the rest; with the inventory down the order page renders without stock", async () => {
    stack = await startStack();
    web = await startWeb(stack.gatewayUrl);
    const data = await seeded(stack);
    const browser = new WebBrowser(web.url);
    await browser.signIn(await stack.credentials.token({ sub: 'sam', scopes: ['finance:read'] }));

    await stack.sandboxes.crm.admin.setFaults({
      down: true,
      routes: ['GET /contacts/:contactId/activities', 'GET /activities/by-contact'],
    });
    const overview = await browser.get(`/pages/customers/${data.customerWithOpenOrders}`);
    expect(overview.status).toBe(200);
    const body = overview.json<{ partial: string[]; activities: unknown[]; account: object }>();
    expect(body.partial).toEqual(['activities']);
    expect(body.activities).toEqual([]);
    expect(body.account).toBeDefined();
    await stack.sandboxes.crm.admin.clearFaults();

    await stack.sandboxes.inventory.admin.setFaults({ down: true });
    const order = await browser.get(`/pages/orders/${data.orderId}`);
    expect(order.status).toBe(200);
    const page = order.json<{ partial: string[]; lines: { product: object }[] }>();
    expect(page.partial).toEqual(expect.arrayContaining(['stock']));
    expect(keysOf(page.lines[0]!.product)).not.toContain('stock');
  });
});
