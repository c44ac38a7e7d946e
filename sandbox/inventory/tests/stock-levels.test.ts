import type { InventoryStockRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startInventorySandbox } from './startInventorySandbox.js';
import type { RunningInventory } from './startInventorySandbox.js';

interface Level extends InventoryStockRecord {
  qty_available: number;
}

describe('inventory sandbox: stock levels', () => {
  let wms: RunningInventory;
  beforeAll(async () => {
    wms = await startInventorySandbox();
  });
  afterAll(async () => {
    await wms?.close();
  });

  /** What the WMS should answer for an item: one level per site, with what is available. */
  const levelsOf = (itemCode: string) =>
    wms.world.inventory.stock
      .filter((s) => s.item_code === itemCode)
      .map((s) => ({ ...s, qty_available: Math.max(0, s.qty_on_hand - s.qty_allocated) }));

  async function ok<T>(path: string, body?: unknown): Promise<T> {
    const response = await wms.call(body === undefined ? 'GET' : 'POST', path, { body });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  it('answers one level per site for an item, with qty_available', async () => {
    const body = await ok<{ item_code: string; levels: Level[] }>('/stock/SKU-10001');
    expect(body).toEqual({ item_code: 'SKU-10001', levels: levelsOf('SKU-10001') });
    expect(body.levels.map((l) => l.site_id)).toEqual(['DC-BER', 'DC-RTM']);
    for (const level of body.levels) {
      expect(level.qty_available).toBe(level.qty_on_hand - level.qty_allocated);
    }
  });

  it('adds up an item over its sites to the world’s totals', async () => {
    const items = wms.world.erp.products.map((p) => p.sku);
    const body = await ok<{ results: { item_code: string; levels: Level[] }[] }>(
      '/stock/batch-get',
      { item_codes: items },
    );
    expect(body.results.map((r) => r.item_code)).toEqual(items);
    for (const { item_code, levels } of body.results) {
      const world = wms.world.inventory.stock.filter((s) => s.item_code === item_code);
      const total = (pick: (s: InventoryStockRecord) => number, list: InventoryStockRecord[]) =>
        list.reduce((sum, s) => sum + pick(s), 0);
      expect(levels).toHaveLength(2);
      expect(total((s) => s.qty_on_hand, levels)).toBe(total((s) => s.qty_on_hand, world));
      expect(total((s) => s.qty_allocated, levels)).toBe(total((s) => s.qty_allocated, world));
    }
  });

  it('gives an unknown item empty levels in batch answers, in request order', async () => {
    const expected = {
      results: [
        { item_code: 'SKU-10002', levels: levelsOf('SKU-10002') },
        { item_code: 'NOPE-1', levels: [] },
        { item_code: 'SKU-10030', levels: levelsOf('SKU-10030') },
      ],
    };
    expect(await ok('/stock?item_codes=SKU-10002,NOPE-1,SKU-10030')).toEqual(expected);
    expect(
      await ok('/stock/batch-get', { item_codes: ['SKU-10002', 'NOPE-1', 'SKU-10030'] }),
    ).toEqual(expected);
  });

  it('answers 404 in problem-details form for an unknown item', async () => {
    const response = await wms.call('GET', '/stock/NOPE-1');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      type: 'urn:wms:error:not_found',
      title: 'not found',
      status: 404,
      detail: 'no item NOPE-1',
    });
  });

  it.each([
    [
      'GET',
      `/stock?item_codes=${Array.from({ length: 101 }, (_, i) => `I${i}`).join(',')}`,
      undefined,
      'too_many_ids',
      '"item_codes" names 101 ids; at most 100 per request',
    ],
    [
      'POST',
      '/stock/batch-get',
      { item_codes: Array.from({ length: 1_001 }, (_, i) => `I${i}`) },
      'too_many_ids',
      '"item_codes" names 1001 ids; at most 1000 per request',
    ],
    ['GET', '/stock', undefined, 'missing_parameter', 'give "item_codes"'],
    ['POST', '/stock/batch-get', {}, 'missing_parameter', 'give "item_codes"'],
  ])('refuses %s %s: 400 %s', async (method, path, body, code, detail) => {
    const response = await wms.call(method, path, { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: `urn:wms:error:${code}`,
      title: code.replace(/_/g, ' '),
      status: 400,
      detail,
    });
  });

  it('takes 1000 item codes in one batch', async () => {
    const codes = Array.from({ length: 1_000 }, (_, i) => `SKU-${10_001 + i}`);
    const body = await ok<{ results: { levels: unknown[] }[] }>('/stock/batch-get', {
      item_codes: codes,
    });
    expect(body.results).toHaveLength(1_000);
    expect(body.results.filter((r) => r.levels.length > 0)).toHaveLength(30);
  });

  it('lists sites and answers one site, or 404', async () => {
    expect(await ok('/sites')).toEqual({ results: wms.world.inventory.sites });
    expect(await ok('/sites/DC-RTM')).toEqual(wms.world.inventory.sites[1]);
    const response = await wms.call('GET', '/sites/DC-XXX');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, detail: 'no site DC-XXX' });
  });

  it('answers shipments per ERP order', async () => {
    const shipments = wms.world.inventory.shipments;
    const refs = [...new Set(shipments.slice(0, 5).map((s) => s.order_ref)), '1'];
    const expected = { results: shipments.filter((s) => refs.includes(s.order_ref)) };
    expect(await ok(`/shipments?order_refs=${refs.join(',')}`)).toEqual(expected);
    expect(await ok('/shipments/batch-get', { order_refs: refs })).toEqual(expected);
  });

  it('refuses calls without a token, in problem-details form', async () => {
    const response = await wms.call('GET', '/stock/SKU-10001', { auth: false });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="missing bearer token"',
    );
    expect(await response.json()).toEqual({
      type: 'urn:wms:error:invalid_token',
      title: 'invalid token',
      status: 401,
      detail: 'missing bearer token',
    });
  });
});
