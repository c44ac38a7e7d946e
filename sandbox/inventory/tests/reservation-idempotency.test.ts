import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ReservationRecord, StockLevel } from '../src/InventoryStore.js';
import { startInventorySandbox } from './startInventorySandbox.js';
import type { RunningInventory } from './startInventorySandbox.js';

describe('inventory sandbox: Idempotency-Key on POST /reservations', () => {
  let wms: RunningInventory;
  beforeAll(async () => {
    wms = await startInventorySandbox();
  });
  afterAll(async () => {
    await wms?.close();
  });

  const allocated = async (itemCode: string) => {
    const body = (await (await wms.call('GET', `/stock/${itemCode}`)).json()) as {
      levels: StockLevel[];
    };
    return body.levels.reduce((sum, l) => sum + l.qty_allocated, 0);
  };
  const newKey = () => `rsv-${Math.random().toString(36).slice(2)}`;

  function reserve(body: unknown, key: string) {
    return wms.call('POST', '/reservations', { body, headers: { 'idempotency-key': key } });
  }

  it('replays the same key and body: same reservation_id, stock reserved once', async () => {
    const before = await allocated('SKU-10024');
    const body = { reference: 'order-42', lines: [{ item_code: 'SKU-10024', qty: 4 }] };
    const key = newKey();
    const first = await reserve(body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const created = (await first.json()) as ReservationRecord;

    const again = await reserve(body, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as ReservationRecord).reservation_id).toBe(created.reservation_id);
    expect(await allocated('SKU-10024')).toBe(before + 4);
  });

  it('reserves once for concurrent requests with the same key', async () => {
    const before = await allocated('SKU-10025');
    const body = { reference: 'order-43', lines: [{ item_code: 'SKU-10025', qty: 3 }] };
    const key = newKey();
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => reserve(body, key)));
    const ids = await Promise.all(
      responses.map(async (r) => ((await r.json()) as ReservationRecord).reservation_id),
    );
    expect(new Set(ids).size).toBe(1);
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await allocated('SKU-10025')).toBe(before + 3);
  });

  it('refuses the same key with another body: 422, stock unchanged', async () => {
    const key = newKey();
    await reserve({ reference: 'order-44', lines: [{ item_code: 'SKU-10026', qty: 1 }] }, key);
    const before = await allocated('SKU-10026');
    const response = await reserve(
      { reference: 'order-44', lines: [{ item_code: 'SKU-10026', qty: 2 }] },
      key,
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      type: 'urn:wms:error:idempotency_key_reused',
      title: 'idempotency key reused',
      status: 422,
      detail: 'this Idempotency-Key was used with a different request body',
    });
    expect(await allocated('SKU-10026')).toBe(before);
  });

  it('does not remember a refused reservation: the key works once stock allows', async () => {
    const key = newKey();
    const before = await allocated('SKU-10027');
    const short = await reserve(
      { reference: 'order-45', lines: [{ item_code: 'SKU-10027', qty: 100_000 }] },
      key,
    );
    expect(short.status).toBe(409);
    const retry = await reserve(
      { reference: 'order-45', lines: [{ item_code: 'SKU-10027', qty: 5 }] },
      key,
    );
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await allocated('SKU-10027')).toBe(before + 5);
  });

  it('without a key, every request reserves again', async () => {
    const before = await allocated('SKU-10030');
    const body = { reference: 'order-46', lines: [{ item_code: 'SKU-10030', qty: 2 }] };
    const a = (await (
      await wms.call('POST', '/reservations', { body })
    ).json()) as ReservationRecord;
    const b = (await (
      await wms.call('POST', '/reservations', { body })
    ).json()) as ReservationRecord;
    expect(a.reservation_id).not.toBe(b.reservation_id);
    expect(await allocated('SKU-10030')).toBe(before + 4);
  });
});
