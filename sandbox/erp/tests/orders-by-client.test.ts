import type { ErpClientRecord, ErpOrderRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

interface ByClient<T> {
  object: 'list';
  data: { client_number: string; data: T[]; has_more: boolean }[];
}

describe('ERP sandbox: one page per client in one call', () => {
  let erp: RunningErp;
  let busy: ErpClientRecord;
  let quiet: ErpClientRecord;
  const ordersOf = (client: ErpClientRecord) =>
    erp.world.erp.orders.filter((o) => o.client_number === client.client_number).reverse();

  beforeAll(async () => {
    erp = await startErpSandbox();
    const byCount = [...erp.world.erp.clients].sort(
      (a, b) => ordersOf(b).length - ordersOf(a).length,
    );
    busy = byCount[0] as ErpClientRecord;
    quiet = byCount.find((c) => ordersOf(c).length === 1) as ErpClientRecord;
  });
  afterAll(async () => {
    await erp?.close();
  });

  async function byClient(query: string) {
    const response = await erp.call('GET', `/orders/by-client?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ByClient<ErpOrderRecord>;
  }

  it('has a busy client and a client with a single order to compare', () => {
    expect(ordersOf(busy).length).toBeGreaterThan(3);
    expect(ordersOf(quiet)).toHaveLength(1);
  });

  it('answers one page per client, in request order, newest first', async () => {
    const body = await byClient(
      `client_numbers=${quiet.client_number},${busy.client_number},999999&limit=3`,
    );
    expect(body).toEqual({
      object: 'list',
      data: [
        { client_number: quiet.client_number, data: ordersOf(quiet), has_more: false },
        { client_number: busy.client_number, data: ordersOf(busy).slice(0, 3), has_more: true },
        { client_number: '999999', data: [], has_more: false },
      ],
    });
  });

  it('continues one client’s list with starting_after', async () => {
    const third = ordersOf(busy)[2] as ErpOrderRecord;
    const body = await byClient(
      `client_numbers=${busy.client_number}&limit=2&starting_after=${third.doc_id}`,
    );
    expect(body.data).toEqual([
      {
        client_number: busy.client_number,
        data: ordersOf(busy).slice(3, 5),
        has_more: ordersOf(busy).length > 5,
      },
    ]);
  });

  it('filters by status per client', async () => {
    const body = await byClient(`client_numbers=${busy.client_number}&status=INVOICED&limit=100`);
    expect(body.data[0]?.data).toEqual(ordersOf(busy).filter((o) => o.status === 'INVOICED'));
  });

  it('refuses starting_after with several clients', async () => {
    const first = ordersOf(busy)[0] as ErpOrderRecord;
    const response = await erp.call(
      'GET',
      `/orders/by-client?client_numbers=${busy.client_number},${quiet.client_number}&starting_after=${first.doc_id}`,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'invalid_parameter',
        message: '"starting_after" needs exactly one client number',
      },
    });
  });

  it('needs client_numbers, at most 100 of them', async () => {
    const missing = await erp.call('GET', '/orders/by-client');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        message: 'give "client_numbers"',
      },
    });
    const numbers = Array.from({ length: 101 }, (_, i) => String(100_001 + i));
    const tooMany = await erp.call('GET', `/orders/by-client?client_numbers=${numbers.join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { code: string } }).error.code).toBe('too_many_ids');
    const hundred = await byClient(`client_numbers=${numbers.slice(0, 100).join(',')}&limit=1`);
    expect(hundred.data).toHaveLength(100);
  });

  it('answers invoices per client the same way, newest first', async () => {
    const invoicesOf = (client: ErpClientRecord) =>
      erp.world.erp.invoices.filter((i) => i.client_number === client.client_number).reverse();
    const response = await erp.call(
      'GET',
      `/invoices/by-client?client_numbers=${busy.client_number},${quiet.client_number}&limit=2`,
    );
    expect(await response.json()).toEqual({
      object: 'list',
      data: [
        {
          client_number: busy.client_number,
          data: invoicesOf(busy).slice(0, 2),
          has_more: invoicesOf(busy).length > 2,
        },
        {
          client_number: quiet.client_number,
          data: invoicesOf(quiet).slice(0, 2),
          has_more: invoicesOf(quiet).length > 2,
        },
      ],
    });
  });
});
