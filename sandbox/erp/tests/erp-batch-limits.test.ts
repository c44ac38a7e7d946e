import type { ErpProductRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

interface Batch<T> {
  object: 'list';
  data: T[];
  missing: string[];
}

/** n distinct SKU-shaped ids: the 30 real products first, then ones that do not exist. */
const skus = (n: number) => Array.from({ length: n }, (_, i) => `SKU-${10_001 + i}`);

describe('ERP sandbox: batch reads and their limits', () => {
  let erp: RunningErp;
  beforeAll(async () => {
    erp = await startErpSandbox();
  });
  afterAll(async () => {
    await erp?.close();
  });

  const tooMany = (field: string, n: number, max: number) => ({
    error: {
      type: 'invalid_request_error',
      code: 'too_many_ids',
      message: `"${field}" names ${n} ids; at most ${max} per request`,
    },
  });

  it('GET /products?ids= answers 100 ids: found ones in request order, the rest missing', async () => {
    const ids = skus(100).reverse();
    const response = await erp.call('GET', `/products?ids=${ids.join(',')}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Batch<ErpProductRecord>;
    expect(body.object).toBe('list');
    expect(body.data).toEqual([...erp.world.erp.products].reverse());
    expect(body.missing).toEqual(ids.slice(0, 70));
  });

  it('GET /products?ids= refuses 101 ids: 400 too_many_ids', async () => {
    const response = await erp.call('GET', `/products?ids=${skus(101).join(',')}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(tooMany('ids', 101, 100));
  });

  it('counts distinct ids: 101 ids with one repeat are 100', async () => {
    const ids = [...skus(100), 'SKU-10001'];
    const response = await erp.call('GET', `/products?ids=${ids.join(',')}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Batch<unknown>).data).toHaveLength(30);
  });

  it('GET /orders?ids= answers 100 ids and refuses 101', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(4_500_000_001 + i * 3));
    const ok = await erp.call('GET', `/orders?ids=${ids.slice(0, 100).join(',')}`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Batch<{ doc_id: number }>;
    expect(body.data.map((o) => String(o.doc_id))).toEqual(
      ids.slice(0, 100).filter((id) => Number(id) <= 4_500_000_300),
    );
    expect(body.missing).toEqual(ids.slice(0, 100).filter((id) => Number(id) > 4_500_000_300));
    const refused = await erp.call('GET', `/orders?ids=${ids.join(',')}`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual(tooMany('ids', 101, 100));
  });

  it('POST /products/batch-get answers 1000 ids and refuses 1001', async () => {
    const ok = await erp.call('POST', '/products/batch-get', { body: { ids: skus(1_000) } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Batch<ErpProductRecord>;
    expect(body.data).toEqual(erp.world.erp.products);
    expect(body.missing).toEqual(skus(1_000).slice(30));

    const refused = await erp.call('POST', '/products/batch-get', { body: { ids: skus(1_001) } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual(tooMany('ids', 1_001, 1_000));
  });

  it('POST /orders/batch-get and /invoices/batch-get list missing ids', async () => {
    const orders = await erp.call('POST', '/orders/batch-get', {
      body: { ids: ['4500000002', 'nope', '4500000001'] },
    });
    expect(await orders.json()).toEqual({
      object: 'list',
      data: [erp.world.erp.orders[1], erp.world.erp.orders[0]],
      missing: ['nope'],
    });
    const invoice = erp.world.erp.invoices[2];
    const invoices = await erp.call('POST', '/invoices/batch-get', {
      body: { doc_ids: [String(invoice?.doc_id), '1'] },
    });
    expect(await invoices.json()).toEqual({ object: 'list', data: [invoice], missing: ['1'] });
  });

  it('finds clients by CRM id: prospects are missing', async () => {
    const client = erp.world.erp.clients[5];
    const prospect = erp.world.crm.contacts.find((c) => c.tier === 'PROSPECT');
    const ids = [client?.crm_contact_id, prospect?.contactId];
    const byGet = await erp.call('GET', `/clients?crm_ids=${ids.join(',')}`);
    const expected = { object: 'list', data: [client], missing: [prospect?.contactId] };
    expect(await byGet.json()).toEqual(expected);
    const byPost = await erp.call('POST', '/clients/batch-get', { body: { crm_ids: ids } });
    expect(await byPost.json()).toEqual(expected);
  });

  it('GET /invoices?doc_ids= maps orders to their invoices', async () => {
    const invoiced = erp.world.erp.orders.find((o) => o.status === 'INVOICED');
    const open = erp.world.erp.orders.find((o) => o.status !== 'INVOICED');
    const response = await erp.call('GET', `/invoices?doc_ids=${invoiced?.doc_id},${open?.doc_id}`);
    expect(await response.json()).toEqual({
      object: 'list',
      data: [erp.world.erp.invoices.find((i) => i.doc_id === invoiced?.doc_id)],
      missing: [String(open?.doc_id)],
    });
  });

  it.each([
    ['/products/batch-get', {}, 'parameter_missing', 'give "ids"'],
    ['/orders/batch-get', { doc_ids: ['1'] }, 'parameter_missing', 'give "ids"'],
    ['/clients/batch-get', {}, 'parameter_missing', 'give "ids" or "crm_ids"'],
    [
      '/products/batch-get',
      { ids: 'SKU-10001' },
      'invalid_parameter',
      '"ids" must be a list of ids',
    ],
    ['/products/batch-get', { ids: [] }, 'invalid_parameter', '"ids" must name at least one id'],
  ])('POST %s with %j: 400 %s', async (path, body, code, message) => {
    const response = await erp.call('POST', path, { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { type: 'invalid_request_error', code, message },
    });
  });
});
