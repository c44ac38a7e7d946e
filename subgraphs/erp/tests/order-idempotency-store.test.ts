import { createLogger } from '@bff/core';
import { createSharedStore } from '@bff/shared-state';
import { describe, expect, it } from 'vitest';

import { IdempotencyStore } from '../src/saga/IdempotencyStore.js';
import { inputHash } from '../src/saga/placeOrder.js';

const store = () =>
  createSharedStore({
    keyPrefix: 'test:',
    logger: createLogger({ service: 't', level: 'silent' }),
  });

describe('placeOrder idempotency (in memory)', () => {
  it('lets exactly one of many concurrent callers claim a key', async () => {
    const keys = new IdempotencyStore<string>(store(), 'place-order', {
      claimTtlMs: 30_000,
      resultTtlSeconds: 60,
    });
    const claims = await Promise.all(Array.from({ length: 50 }, () => keys.claim('k', 'h')));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await keys.get('k')).toEqual({ inputHash: 'h' });
    await keys.complete('k', 'h', 'result');
    expect(await keys.get('k')).toEqual({ inputHash: 'h', result: 'result' });
    await keys.release('k');
    expect(await keys.claim('k', 'h')).toBe(true);
  });

  it('hashes the input canonically: field order does not matter, values do', () => {
    const a = inputHash({ customerId: 'C1', lines: [{ sku: 'S', quantity: 1 }] });
    const reordered = inputHash({
      lines: [{ quantity: 1, sku: 'S' }],
      customerId: 'C1',
    } as never);
    expect(reordered).toBe(a);
    expect(inputHash({ customerId: 'C1', lines: [{ sku: 'S', quantity: 2 }] })).not.toBe(a);
  });
});
