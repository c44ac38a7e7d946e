import type { ErpClientRecord, ErpOrderRecord, ErpProductRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

describe('ERP sandbox: Stripe-style list pagination', () => {
  let erp: RunningErp;
  beforeAll(async () => {
    erp = await startErpSandbox();
  });
  afterAll(async () => {
    await erp?.close();
  });

  async function list<T>(path: string): Promise<List<T>> {
    const response = await erp.call('GET', path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as List<T>;
  }

  /** Every page of a list, following starting_after until has_more is false. */
  async function walk<T>(path: string, keyOf: (item: T) => string, limit: number) {
    const pages: List<T>[] = [];
    let after: string | undefined;
    for (;;) {
      const sep = path.includes('?') ? '&' : '?';
      const page = await list<T>(
        `${path}${sep}limit=${limit}${after ? `&starting_after=${after}` : ''}`,
      );
      pages.push(page);
      if (!page.has_more) return pages;
      after = keyOf(page.data.at(-1) as T);
    }
  }

  it('lists orders newest first, 20 by default', async () => {
    const page = await list<ErpOrderRecord>('/orders');
    expect(page.object).toBe('list');
    expect(page.data.map((o) => o.doc_id)).toEqual(
      erp.world.erp.orders
        .slice(-20)
        .reverse()
        .map((o) => o.doc_id),
    );
    expect(page.has_more).toBe(true);
    expect(page.data[0]).toEqual(erp.world.erp.orders.at(-1));
  });

  it('continues after the last item of a page, without gaps or repeats', async () => {
    const first = await list<ErpOrderRecord>('/orders?limit=7');
    const second = await list<ErpOrderRecord>(
      `/orders?limit=7&starting_after=${first.data.at(-1)?.doc_id}`,
    );
    expect(second.data.map((o) => o.doc_id)).toEqual(
      Array.from({ length: 7 }, (_, i) => 4_500_000_300 - 7 - i),
    );
    expect(second.has_more).toBe(true);
  });

  it('walks all clients in pages of 20, has_more false only on the last page', async () => {
    const pages = await walk<ErpClientRecord>('/clients', (c) => c.client_number, 20);
    const all = pages.flatMap((p) => p.data);
    expect(all).toEqual(erp.world.erp.clients);
    expect(pages.map((p) => p.has_more)).toEqual(pages.map((_, i) => i < pages.length - 1));
    expect(pages.length).toBe(Math.ceil(erp.world.erp.clients.length / 20));
  });

  it('walks all 300 orders with limit=100 in exactly three pages', async () => {
    const pages = await walk<ErpOrderRecord>('/orders', (o) => String(o.doc_id), 100);
    expect(pages.map((p) => [p.data.length, p.has_more])).toEqual([
      [100, true],
      [100, true],
      [100, false],
    ]);
  });

  it('gives an empty last page after the oldest order', async () => {
    const page = await list<ErpOrderRecord>('/orders?starting_after=4500000001');
    expect(page).toEqual({ object: 'list', data: [], has_more: false });
  });

  it('pages through a filtered list: one client’s invoiced orders', async () => {
    const client = erp.world.erp.clients.find(
      (c) => erp.world.erp.orders.filter((o) => o.client_number === c.client_number).length > 3,
    ) as ErpClientRecord;
    const expected = erp.world.erp.orders
      .filter((o) => o.client_number === client.client_number && o.status === 'INVOICED')
      .reverse();
    const pages = await walk<ErpOrderRecord>(
      `/orders?client_number=${client.client_number}&status=INVOICED`,
      (o) => String(o.doc_id),
      2,
    );
    expect(pages.flatMap((p) => p.data)).toEqual(expected);
  });

  it('walks products, and filters them by product group', async () => {
    const pages = await walk<ErpProductRecord>('/products', (p) => p.sku, 8);
    expect(pages.flatMap((p) => p.data)).toEqual(erp.world.erp.products);
    const group = erp.world.erp.products[0]?.product_group as string;
    const filtered = await list<ErpProductRecord>(
      `/products?limit=100&product_group=${encodeURIComponent(group)}`,
    );
    expect(filtered.data).toEqual(erp.world.erp.products.filter((p) => p.product_group === group));
  });

  it.each(['/orders?limit=101', '/orders?limit=0', '/clients?limit=abc', '/products?limit=2.5'])(
    'refuses %s: 400 in the ERP error format',
    async (path) => {
      const response = await erp.call('GET', path);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          type: 'invalid_request_error',
          code: 'invalid_parameter',
          message: '"limit" must be a whole number from 1 to 100',
        },
      });
    },
  );

  it('accepts limit=100', async () => {
    expect((await list<ErpOrderRecord>('/orders?limit=100')).data).toHaveLength(100);
  });

  it.each([
    ['/orders?starting_after=123', '123'],
    ['/clients?starting_after=999999', '999999'],
    ['/products?starting_after=SKU-NOPE', 'SKU-NOPE'],
    // A cursor from the unfiltered list that is not in the filtered one.
    ['/orders?status=OPEN&starting_after=4500000001', '4500000001'],
  ])('refuses an unknown starting_after %s: 400 invalid_cursor', async (path, cursor) => {
    const response = await erp.call('GET', path);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'invalid_cursor',
        message: `no item "${cursor}" to continue after`,
      },
    });
  });

  it('refuses an unknown status filter', async () => {
    const response = await erp.call('GET', '/orders?status=LOST');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'invalid_parameter',
        message: '"status" must be one of OPEN, RELEASED, SHIPPED, INVOICED, CANCELLED',
      },
    });
  });

  it('answers single records by id, and 404 resource_missing for unknown ones', async () => {
    const order = erp.world.erp.orders[41] as ErpOrderRecord;
    const invoice = erp.world.erp.invoices[0];
    expect(await (await erp.call('GET', `/orders/${order.doc_id}`)).json()).toEqual(order);
    expect(await (await erp.call('GET', `/invoices/${invoice?.invoice_id}`)).json()).toEqual(
      invoice,
    );
    expect(await (await erp.call('GET', '/products/SKU-10001')).json()).toEqual(
      erp.world.erp.products[0],
    );
    const client = erp.world.erp.clients[3] as ErpClientRecord;
    expect(await (await erp.call('GET', `/clients/${client.client_number}`)).json()).toEqual(
      client,
    );
    const missing = await erp.call('GET', '/orders/4400000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: 'no order 4400000000',
      },
    });
  });
});
