import { decimalToCents } from '@bff/sandbox-kit';
import type { ErpClientRecord, ErpOrderRecord, ErpProductRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

// Prices are the list price (EUR) at fixed rates, taxed by the client's currency.
const fxBp: Record<string, number> = { EUR: 10_000, USD: 10_850, GBP: 8_550 };
const taxBp: Record<string, number> = { EUR: 1_900, USD: 0, GBP: 2_000 };
const decimal = (cents: number) => (cents / 100).toFixed(2);

function expectedPricing(
  client: ErpClientRecord,
  lines: { product: ErpProductRecord; qty: number }[],
) {
  const priced = lines.map(({ product, qty }, i) => {
    const unit = Math.round(
      (decimalToCents(product.list_price) * (fxBp[client.currency] ?? 0)) / 10_000,
    );
    return {
      line_no: (i + 1) * 10,
      sku: product.sku,
      description: product.title,
      qty,
      unit_price: decimal(unit),
      line_amount: decimal(unit * qty),
      cents: unit * qty,
    };
  });
  const net = priced.reduce((sum, l) => sum + l.cents, 0);
  const tax = Math.round((net * (taxBp[client.currency] ?? 0)) / 10_000);
  return {
    lines: priced.map(({ cents: _cents, ...line }) => line),
    net_amount: decimal(net),
    tax_amount: decimal(tax),
    gross_amount: decimal(net + tax),
  };
}

describe('ERP sandbox: POST /orders', () => {
  let erp: RunningErp;
  let products: ErpProductRecord[];
  const clientIn = (currency: string) =>
    erp.world.erp.clients.find((c) => c.currency === currency && !c.blocked) as ErpClientRecord;
  const orderCount = () => erp.sandbox.store.orders.length;
  let nextDocId = 4_500_000_301;

  beforeAll(async () => {
    erp = await startErpSandbox();
    products = erp.world.erp.products;
  });
  afterAll(async () => {
    await erp?.close();
  });

  async function post(body: unknown, key?: string) {
    return erp.call('POST', '/orders', {
      body,
      headers: key ? { 'idempotency-key': key } : {},
    });
  }

  it.each(['GBP', 'USD', 'EUR'])(
    'prices an order from list price in the client’s currency (%s) with exact totals',
    async (currency) => {
      const client = clientIn(currency);
      const lines = [
        { product: products[3] as ErpProductRecord, qty: 7 },
        { product: products[11] as ErpProductRecord, qty: 1 },
        { product: products[20] as ErpProductRecord, qty: 13 },
      ];
      const before = orderCount();
      const response = await post({
        client_number: client.client_number,
        lines: lines.map((l) => ({ sku: l.product.sku, qty: l.qty })),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('idempotent-replayed')).toBeNull();
      const order = (await response.json()) as ErpOrderRecord;
      const docId = nextDocId++;
      expect(order).toEqual({
        doc_id: docId,
        order_number: expect.stringMatching(
          new RegExp(`^SO-\\d{4}-${String(docId - 4_500_000_000).padStart(6, '0')}$`),
        ),
        client_number: client.client_number,
        status: 'OPEN',
        order_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        currency,
        ...expectedPricing(client, lines),
      });
      expect(orderCount()).toBe(before + 1);
      // It is now the newest order, readable like any other.
      expect(await (await erp.call('GET', `/orders/${docId}`)).json()).toEqual(order);
      const newest = (await (await erp.call('GET', '/orders?limit=1')).json()) as {
        data: ErpOrderRecord[];
      };
      expect(newest.data).toEqual([order]);
      const mine = (await (
        await erp.call('GET', `/orders/by-client?client_numbers=${client.client_number}&limit=1`)
      ).json()) as { data: { data: ErpOrderRecord[] }[] };
      expect(mine.data[0]?.data).toEqual([order]);
    },
  );

  it('quotes an order exactly as it would be priced, creating nothing, with the same refusals', async () => {
    const client = clientIn('GBP');
    const lines = [
      { product: products[5] as ErpProductRecord, qty: 3 },
      { product: products[8] as ErpProductRecord, qty: 40 },
    ];
    const before = orderCount();
    const body = {
      client_number: client.client_number,
      lines: lines.map((l) => ({ sku: l.product.sku, qty: l.qty })),
    };
    const quote = await erp.call('POST', '/orders/quote', { body });
    expect(quote.status).toBe(200);
    expect(await quote.json()).toEqual({
      client_number: client.client_number,
      currency: 'GBP',
      ...expectedPricing(client, lines),
    });
    expect(orderCount()).toBe(before);
    const unknown = await erp.call('POST', '/orders/quote', {
      body: { client_number: client.client_number, lines: [{ sku: 'NOPE', qty: 1 }] },
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_sku' } });
  });

  it('keeps pagination cursors valid after an order is added', async () => {
    const page = (await (
      await erp.call('GET', '/orders?limit=2&starting_after=4500000300')
    ).json()) as {
      data: ErpOrderRecord[];
    };
    expect(page.data.map((o) => o.doc_id)).toEqual([4_500_000_299, 4_500_000_298]);
  });

  it('replays the same Idempotency-Key and body: same order, created once', async () => {
    const client = clientIn('EUR');
    const body = { client_number: client.client_number, lines: [{ sku: 'SKU-10002', qty: 2 }] };
    const key = `order-${Math.random().toString(36).slice(2)}`;
    const first = await post(body, key);
    expect(first.status).toBe(201);
    const created = (await first.json()) as ErpOrderRecord;
    expect(created.doc_id).toBe(nextDocId++);
    const count = orderCount();

    const again = await post(body, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(created);
    expect(orderCount()).toBe(count);
  });

  it('creates one order for concurrent requests with the same key', async () => {
    const client = clientIn('USD');
    const body = { client_number: client.client_number, lines: [{ sku: 'SKU-10005', qty: 4 }] };
    const key = `order-${Math.random().toString(36).slice(2)}`;
    const count = orderCount();
    const responses = await Promise.all([1, 2, 3, 4].map(() => post(body, key)));
    const orders = (await Promise.all(responses.map((r) => r.json()))) as ErpOrderRecord[];
    expect(new Set(orders.map((o) => o.doc_id))).toEqual(new Set([nextDocId++]));
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(
      3,
    );
    expect(orderCount()).toBe(count + 1);
  });

  it('refuses the same key with another body: 422, and creates nothing', async () => {
    const client = clientIn('EUR');
    const key = `order-${Math.random().toString(36).slice(2)}`;
    const first = await post(
      { client_number: client.client_number, lines: [{ sku: 'SKU-10001', qty: 1 }] },
      key,
    );
    expect(first.status).toBe(201);
    nextDocId++;
    const count = orderCount();
    const other = await post(
      { client_number: client.client_number, lines: [{ sku: 'SKU-10001', qty: 2 }] },
      key,
    );
    expect(other.status).toBe(422);
    expect(await other.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'idempotency_key_reused',
        message: 'this Idempotency-Key was used with a different request body',
      },
    });
    expect(orderCount()).toBe(count);
  });

  it('refuses an unknown sku with 400 and creates nothing, not even a doc id', async () => {
    const client = clientIn('GBP');
    const count = orderCount();
    const key = `order-${Math.random().toString(36).slice(2)}`;
    const response = await post(
      {
        client_number: client.client_number,
        lines: [
          { sku: 'SKU-10001', qty: 1 },
          { sku: 'SKU-NOPE', qty: 1 },
        ],
      },
      key,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'unknown_sku',
        message: 'line 2: unknown sku SKU-NOPE',
      },
    });
    expect(orderCount()).toBe(count);
    expect((await erp.call('GET', `/orders/${nextDocId}`)).status).toBe(404);

    // The failure was not remembered: the same key with a corrected body creates the order,
    // and it takes the next doc id, so the refused request used none.
    const fixed = await post(
      { client_number: client.client_number, lines: [{ sku: 'SKU-10001', qty: 1 }] },
      key,
    );
    expect(fixed.status).toBe(201);
    expect(((await fixed.json()) as ErpOrderRecord).doc_id).toBe(nextDocId++);
    expect(orderCount()).toBe(count + 1);
  });

  it.each([
    [
      'an unknown client',
      { client_number: '999999', lines: [{ sku: 'SKU-10001', qty: 1 }] },
      404,
      'resource_missing',
      'no client 999999',
    ],
    ['no lines', { lines: [] }, 400, 'invalid_lines', 'an order needs 1 to 50 lines'],
    [
      '51 lines',
      { lines: Array.from({ length: 51 }, () => ({ sku: 'SKU-10001', qty: 1 })) },
      400,
      'invalid_lines',
      'an order needs 1 to 50 lines',
    ],
    [
      'qty 0',
      { lines: [{ sku: 'SKU-10001', qty: 0 }] },
      400,
      'invalid_qty',
      'line 1: qty must be 1 to 10000',
    ],
    [
      'qty as text',
      {
        lines: [
          { sku: 'SKU-10001', qty: 1 },
          { sku: 'SKU-10002', qty: '2' },
        ],
      },
      400,
      'invalid_qty',
      'line 2: qty must be 1 to 10000',
    ],
  ])('refuses %s and creates nothing', async (_name, body, status, code, message) => {
    const client = clientIn('EUR');
    const count = orderCount();
    const response = await post({ client_number: client.client_number, ...body });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({
      error: { type: 'invalid_request_error', code, message },
    });
    expect(orderCount()).toBe(count);
  });

  it('refuses an order for a blocked client: 409 client_blocked', async () => {
    const client = erp.world.erp.clients[7] as ErpClientRecord;
    const record = erp.sandbox.store.client(client.client_number) as ErpClientRecord;
    record.blocked = true;
    try {
      const count = orderCount();
      const response = await post({
        client_number: client.client_number,
        lines: [{ sku: 'SKU-10001', qty: 1 }],
      });
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({
        error: {
          type: 'invalid_request_error',
          code: 'client_blocked',
          message: `client ${client.client_number} is blocked`,
        },
      });
      expect(orderCount()).toBe(count);
    } finally {
      record.blocked = false;
    }
  });

  it.each([
    ['without a body', undefined],
    ['without client_number', { lines: [{ sku: 'SKU-10001', qty: 1 }] }],
    ['with a numeric client_number', { client_number: 100001, lines: [] }],
  ])('answers a request %s with 400 parameter_missing, not a 500', async (_name, body) => {
    const count = orderCount();
    const response = await erp.call('POST', '/orders', body === undefined ? {} : { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        message: 'client_number is required',
      },
    });
    expect(orderCount()).toBe(count);
  });
});
