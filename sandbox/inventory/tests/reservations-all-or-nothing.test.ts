import type { InventoryStockRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ReservationRecord } from '../src/InventoryStore.js';
import { startInventorySandbox } from './startInventorySandbox.js';
import type { RunningInventory } from './startInventorySandbox.js';

interface Level extends InventoryStockRecord {
  qty_available: number;
}

describe('inventory sandbox: reservations are all or nothing', () => {
  let wms: RunningInventory;
  beforeAll(async () => {
    wms = await startInventorySandbox();
  });
  afterAll(async () => {
    await wms?.close();
  });

  async function levels(itemCode: string): Promise<Level[]> {
    const response = await wms.call('GET', `/stock/${itemCode}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { levels: Level[] }).levels;
  }
  /** Allocated and available per site: what a reservation changes (updated_at aside). */
  const allocation = async (itemCode: string) =>
    (await levels(itemCode)).map((l) => ({
      site_id: l.site_id,
      qty_on_hand: l.qty_on_hand,
      qty_allocated: l.qty_allocated,
      qty_available: l.qty_available,
    }));
  const available = async (itemCode: string) =>
    (await levels(itemCode)).reduce((sum, l) => sum + l.qty_available, 0);

  function reserve(body: unknown, headers: Record<string, string> = {}) {
    return wms.call('POST', '/reservations', { body, headers });
  }

  it('refuses the whole request when one line is short: 409 with shortfalls, no stock changed', async () => {
    const items = ['SKU-10003', 'SKU-10004', 'SKU-10007'];
    const before = await Promise.all(items.map(allocation));
    const shortBy = await available('SKU-10004');
    const response = await reserve({
      reference: 'order-short',
      lines: [
        { item_code: 'SKU-10003', qty: 5 },
        { item_code: 'SKU-10004', qty: shortBy + 1 },
        { item_code: 'SKU-10007', qty: 1 },
      ],
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      type: 'urn:wms:error:insufficient_stock',
      title: 'insufficient stock',
      status: 409,
      detail: 'not enough stock for every line',
      shortfalls: [{ item_code: 'SKU-10004', requested: shortBy + 1, available: shortBy }],
    });
    expect(await Promise.all(items.map(allocation))).toEqual(before);
  });

  it('names every short line', async () => {
    const a = await available('SKU-10008');
    const b = await available('SKU-10009');
    const response = await reserve({
      reference: 'order-very-short',
      lines: [
        { item_code: 'SKU-10008', qty: a + 10 },
        { item_code: 'SKU-10002', qty: 1 },
        { item_code: 'SKU-10009', qty: b + 1 },
      ],
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { shortfalls: unknown }).shortfalls).toEqual([
      { item_code: 'SKU-10008', requested: a + 10, available: a },
      { item_code: 'SKU-10009', requested: b + 1, available: b },
    ]);
  });

  it('counts repeated lines for one item against the same stock', async () => {
    const free = await available('SKU-10016');
    const before = await allocation('SKU-10016');
    const half = Math.floor(free / 2) + 1;
    const response = await reserve({
      reference: 'order-repeat',
      lines: [
        { item_code: 'SKU-10016', qty: half },
        { item_code: 'SKU-10016', qty: half },
      ],
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { shortfalls: unknown }).shortfalls).toEqual([
      { item_code: 'SKU-10016', requested: half, available: free - half },
    ]);
    expect(await allocation('SKU-10016')).toEqual(before);
  });

  it('raises qty_allocated by exactly the reserved amounts, and DELETE restores it', async () => {
    const before = {
      a: await allocation('SKU-10012'),
      b: await allocation('SKU-10014'),
    };
    const response = await reserve({
      reference: 'order-1',
      lines: [
        { item_code: 'SKU-10012', qty: 7 },
        { item_code: 'SKU-10014', qty: 3 },
      ],
    });
    expect(response.status).toBe(201);
    const reservation = (await response.json()) as ReservationRecord;
    expect(reservation).toEqual({
      reservation_id: expect.stringMatching(/^RSV-[0-9a-f-]{36}$/),
      reference: 'order-1',
      status: 'HELD',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      released_at: null,
      lines: [
        { item_code: 'SKU-10012', site_id: expect.any(String), qty: 7 },
        { item_code: 'SKU-10014', site_id: expect.any(String), qty: 3 },
      ],
    });
    // Each line came from one site; that site's allocation rose by the line's qty, no other.
    for (const [itemCode, was] of [
      ['SKU-10012', before.a],
      ['SKU-10014', before.b],
    ] as const) {
      const now = await allocation(itemCode);
      const line = reservation.lines.find((l) => l.item_code === itemCode);
      expect(now).toEqual(
        was.map((l) =>
          l.site_id === line?.site_id
            ? {
                ...l,
                qty_allocated: l.qty_allocated + (line?.qty ?? 0),
                qty_available: l.qty_available - (line?.qty ?? 0),
              }
            : l,
        ),
      );
    }
    expect(
      await (await wms.call('GET', `/reservations/${reservation.reservation_id}`)).json(),
    ).toEqual(reservation);

    const released = await wms.call('DELETE', `/reservations/${reservation.reservation_id}`);
    expect(released.status).toBe(200);
    const body = (await released.json()) as ReservationRecord;
    expect(body).toMatchObject({ reservation_id: reservation.reservation_id, status: 'RELEASED' });
    expect(body.released_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(await allocation('SKU-10012')).toEqual(before.a);
    expect(await allocation('SKU-10014')).toEqual(before.b);

    // Releasing again is harmless: same answer, stock unchanged.
    const again = await wms.call('DELETE', `/reservations/${reservation.reservation_id}`);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(body);
    expect(await allocation('SKU-10012')).toEqual(before.a);
  });

  it('spreads a line over sites when no single site has enough', async () => {
    const before = await allocation('SKU-10002');
    const perSite = before.map((l) => l.qty_available);
    const qty = Math.max(...perSite) + 1;
    expect(qty).toBeLessThanOrEqual(perSite.reduce((a, b) => a + b, 0));
    const response = await reserve({
      reference: 'order-split',
      lines: [{ item_code: 'SKU-10002', qty }],
    });
    expect(response.status).toBe(201);
    const reservation = (await response.json()) as ReservationRecord;
    expect(reservation.lines).toHaveLength(2);
    expect(reservation.lines.reduce((sum, l) => sum + l.qty, 0)).toBe(qty);
    expect((await allocation('SKU-10002')).map((l) => l.qty_available)).toEqual(
      before.map(
        (l) => l.qty_available - (reservation.lines.find((r) => r.site_id === l.site_id)?.qty ?? 0),
      ),
    );
    expect(await available('SKU-10002')).toBe(perSite.reduce((a, b) => a + b, 0) - qty);
    await wms.call('DELETE', `/reservations/${reservation.reservation_id}`);
    expect(await allocation('SKU-10002')).toEqual(before);
  });

  it('takes a line from the site it names, or reports that site short', async () => {
    const before = await allocation('SKU-10022');
    const rtm = before.find((l) => l.site_id === 'DC-RTM');
    const ok = await reserve({
      reference: 'order-site',
      lines: [{ item_code: 'SKU-10022', qty: 2, site_id: 'DC-RTM' }],
    });
    expect(ok.status).toBe(201);
    const reservation = (await ok.json()) as ReservationRecord;
    expect(reservation.lines).toEqual([{ item_code: 'SKU-10022', site_id: 'DC-RTM', qty: 2 }]);
    const short = await reserve({
      reference: 'order-site-short',
      lines: [{ item_code: 'SKU-10022', qty: rtm?.qty_available ?? 0, site_id: 'DC-RTM' }],
    });
    expect(short.status).toBe(409);
    expect(((await short.json()) as { shortfalls: unknown }).shortfalls).toEqual([
      {
        item_code: 'SKU-10022',
        requested: rtm?.qty_available,
        available: (rtm?.qty_available ?? 0) - 2,
      },
    ]);
    await wms.call('DELETE', `/reservations/${reservation.reservation_id}`);
    expect(await allocation('SKU-10022')).toEqual(before);
  });

  it.each([
    [
      { lines: [{ item_code: 'SKU-10001', qty: 1 }] },
      400,
      'invalid_reference',
      'reference is required',
    ],
    [{ reference: 'r', lines: [] }, 400, 'invalid_lines', 'a reservation needs 1 to 100 lines'],
    [
      { reference: 'r', lines: [{ item_code: 'SKU-10001', qty: 0 }] },
      400,
      'invalid_qty',
      'line 1: qty must be a positive whole number',
    ],
    [
      {
        reference: 'r',
        lines: [
          { item_code: 'SKU-10001', qty: 1 },
          { item_code: 'NOPE-1', qty: 1 },
        ],
      },
      404,
      'unknown_item',
      'line 2: unknown item_code NOPE-1',
    ],
  ])('refuses %j with %i %s and changes nothing', async (body, status, code, detail) => {
    const before = await allocation('SKU-10001');
    const response = await reserve(body);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({
      type: `urn:wms:error:${code}`,
      title: code.replace(/_/g, ' '),
      status,
      detail,
    });
    expect(await allocation('SKU-10001')).toEqual(before);
  });

  it('refuses a POST without a body as a client error', async () => {
    const response = await wms.call('POST', '/reservations');
    expect(response.status).toBe(400);
  });

  it('answers 404 for an unknown reservation, on GET and DELETE', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await wms.call(method, '/reservations/RSV-nope');
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        type: 'urn:wms:error:not_found',
        title: 'not found',
        status: 404,
        detail: 'no reservation RSV-nope',
      });
    }
  });
});
