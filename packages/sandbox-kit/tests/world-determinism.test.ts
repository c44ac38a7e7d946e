import { describe, expect, it } from 'vitest';

import { defaultWorldOptions, generateWorld } from '../src/world/generateWorld.js';
import type { WorldOptions } from '../src/world/generateWorld.js';
import { loadWorld } from '../src/world/loadWorld.js';

const small: WorldOptions = { seed: 42, customers: 50, products: 30, warehouses: 2, orders: 300 };

describe('generateWorld: one seed, one world', () => {
  it('gives a JSON-identical world for the same seed and options', () => {
    const a = generateWorld(small);
    const b = generateWorld({ ...small });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('gives a different world for a different seed', () => {
    const a = generateWorld(small);
    const b = generateWorld({ ...small, seed: 43 });
    expect(JSON.stringify(b)).not.toBe(JSON.stringify(a));
    // Not only somewhere deep: the very first contact already differs.
    expect(b.crm.contacts[0]).not.toEqual(a.crm.contacts[0]);
  });

  it('does not depend on the clock: ids and dates are stable across runs', () => {
    const world = generateWorld(small);
    expect(world.erp.orders[0]?.doc_id).toBe(4_500_000_001);
    expect(world.erp.orders.at(-1)?.doc_id).toBe(4_500_000_300);
    expect(world.crm.contacts[0]?.contactId).toBe('C000001');
    expect(world.crm.contacts.at(-1)?.contactId).toBe('C000050');
    // Everything happened before the fixed "as of" instant, 2026-01-01.
    for (const order of world.erp.orders) expect(order.created_at < '2026-01-01').toBe(true);
  });

  it('loadWorld generates once per distinct options and shares the result', () => {
    const a = loadWorld(small);
    expect(loadWorld({ ...small })).toBe(a);
    expect(loadWorld({ ...small, seed: 7 })).not.toBe(a);
    expect(JSON.stringify(a)).toBe(JSON.stringify(generateWorld(small)));
  });
});

describe('generateWorld: scale options', () => {
  it('honours every count', () => {
    const world = generateWorld(small);
    expect(world.crm.contacts).toHaveLength(50);
    expect(world.erp.products).toHaveLength(30);
    expect(world.inventory.sites).toHaveLength(2);
    expect(world.erp.orders).toHaveLength(300);
    // One stock record per product and site; one sales user per 100 customers, at least 3.
    expect(world.inventory.stock).toHaveLength(30 * 2);
    expect(world.crm.users).toHaveLength(3);
    // Prospects are the only contacts without an ERP client.
    const prospects = world.crm.contacts.filter((c) => c.tier === 'PROSPECT').length;
    expect(world.erp.clients).toHaveLength(50 - prospects);
  });

  it('scales users with customers and adds generated sites beyond the ten known ones', () => {
    const world = generateWorld({
      seed: 1,
      customers: 250,
      products: 5,
      warehouses: 12,
      orders: 20,
    });
    expect(world.crm.users).toHaveLength(3);
    expect(generateWorld({ ...small, customers: 450 }).crm.users).toHaveLength(5);
    expect(world.inventory.sites.map((s) => s.site_id)).toEqual([
      'DC-BER',
      'DC-RTM',
      'DC-MAN',
      'DC-LYS',
      'DC-MIL',
      'DC-WAW',
      'DC-MAD',
      'DC-PRG',
      'DC-VIE',
      'DC-CPH',
      'DC-011',
      'DC-012',
    ]);
    expect(world.inventory.stock).toHaveLength(5 * 12);
  });

  it('generates a world at the smallest valid scale for every seed', () => {
    // One customer may well be a prospect; the ERP still needs a client to take the orders.
    for (let seed = 1; seed <= 60; seed++) {
      const world = generateWorld({ seed, customers: 1, products: 1, warehouses: 1, orders: 3 });
      expect(world.crm.contacts).toHaveLength(1);
      expect(world.erp.clients).toHaveLength(1);
      expect(world.erp.orders).toHaveLength(3);
      for (const order of world.erp.orders) {
        expect(order.client_number).toBe(world.erp.clients[0]?.client_number);
      }
    }
  });

  it('keeps the documented defaults', () => {
    expect(defaultWorldOptions).toEqual({
      seed: 42,
      customers: 2_000,
      products: 500,
      warehouses: 3,
      orders: 20_000,
    });
    expect(Object.isFrozen(defaultWorldOptions)).toBe(true);
  });
});

describe('generateWorld: invalid options', () => {
  it.each([
    [{ customers: 0 }, 'invalid world options: customers must be at least 1'],
    [{ products: -1 }, 'invalid world options: products must be at least 1'],
    [{ warehouses: 1.5 }, 'invalid world options: warehouses must be at least 1'],
    [{ orders: Number.NaN }, 'invalid world options: orders must be at least 1'],
    [{ customers: 1_000_000 }, 'invalid world options: customers must be at most 999,999'],
    [{ seed: 0.5 }, 'invalid world options: seed must be a whole number'],
  ])('rejects %j', (override, message) => {
    expect(() => generateWorld({ ...small, ...override })).toThrow(new Error(message));
  });

  it('reports every problem in one message', () => {
    expect(() =>
      generateWorld({ seed: 1.5, customers: 0, products: 0, warehouses: 1, orders: 1 }),
    ).toThrow(
      'invalid world options: customers must be at least 1; products must be at least 1; seed must be a whole number',
    );
  });
});
